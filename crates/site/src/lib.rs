//! glossary's published site: an article as a page ([`render`]:
//! Markdown, HTML, meta and structured data), a term's page with its
//! variants, relations and mentions ([`term`]), its mentions
//! of terms linked ([`autolink`]), the templates
//! it is rendered with ([`templates`]), the static build ([`build`]:
//! plan, listings, sitemap, the output directory), its search index
//! ([`search`]), documents for other
//! site generators ([`documents`]), and the terms its texts name together,
//! for the ideas for content ([`together`]).
#![deny(unreachable_pub)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod autolink;
pub mod build;
pub mod documents;
pub mod render;
pub(crate) mod search;
pub mod templates;
pub mod term;
pub mod together;
