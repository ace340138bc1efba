//! The terminal interface: a thin shell over the core.
//!
//! Key events become [`app::Action`]s through the [`keymap`]; `App::update`
//! changes state and asks for [`app::Effect`]s (append a record, ring the
//! bell) without doing any I/O; the [`runner`] performs them and feeds the
//! outcome back; [`views`] draw `&App` only.

pub mod app;
pub mod bigtext;
pub mod home;
pub mod keymap;
pub mod moderate;
pub mod remember;
pub mod report;
pub mod runner;
pub mod signals;
pub mod theme;
pub mod views;
