//! The web editor: `glossary serve` over real HTTP on loopback, and in a
//! real headless browser.

mod accounts;
mod browser;
mod conflicts;
mod due;
mod forms;
mod limits;
mod live_site;
mod origins;
mod pages;
mod pending;
mod read_only;
mod review;
mod roles;
mod setup;
mod team;
mod transfer;
#[path = "../util.rs"]
mod util;
mod webclient;
