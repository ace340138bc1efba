//! What every part of osce shares: ids that are safe as file names, words
//! and numbers for people, careful CSV input, and work spread over cores.

pub mod csvin;
pub mod ids;
pub mod text;
pub mod threads;
