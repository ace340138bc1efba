//! What every part of osce shares: ids that are safe as file names, words
//! and numbers for people, careful CSV input, work spread over cores, and
//! times read back fast.

pub mod csvin;
pub mod exact;
pub mod ids;
pub mod text;
pub mod threads;
pub mod utc;
