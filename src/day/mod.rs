//! The exam day: who is examined where and when, the station timer, marks
//! captured on paper when a laptop failed, and a simulated day's marks for
//! training and benchmarks. The marks themselves go to [`crate::store`]
//! through the screens of [`crate::tui`].

pub mod circuit;
pub mod import;
pub mod roster;
pub mod simulate;
pub mod timer;
