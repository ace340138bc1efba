//! The terminal interface: a thin shell over the core.
//!
//! Every screen keeps one contract ([`screen::Screen`]): a key table turns
//! key events into actions; `update` changes state and asks for effects
//! (append a record, ring the bell) without doing any I/O; an executor
//! performs them and its replies come back through `reply`; the view draws
//! the state only. [`terminal::run`] is the one loop that drives them all.
//! Each screen has a folder: [`marking`] (with the home screen it starts
//! from), [`moderate`], [`report`] and [`watch`] (`status --watch`).

pub mod bigtext;
pub mod keys;
pub mod marking;
pub mod moderate;
pub mod remember;
pub mod report;
pub mod screen;
pub mod signals;
pub mod terminal;
pub mod textbox;
pub mod theme;
pub mod watch;
