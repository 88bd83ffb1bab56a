//! The editor's addresses, built in one place: each page's path with its
//! parts encoded, as [`crate::routes`] routes them. A handler or a page
//! never writes `/term/...` by hand.

use glossary_core::kind::Kind;
use glossary_core::text::url_segment;

/// A term's page: `/term/Executive%20Producer`.
pub(crate) fn term(name: &str) -> String {
    format!("/term/{}", url_segment(name))
}

/// A comparison's page: `/compare/producer-vs-director`.
pub(crate) fn comparison(slug: &str) -> String {
    format!("/compare/{}", url_segment(slug))
}

/// The page an entry of `kind` is edited on, by its first key: a term's
/// for terms, senses, examples and variants; a comparison's for the rest.
pub(crate) fn entry(kind: Kind, key: &str) -> String {
    if kind.owner() == Kind::Term {
        term(key)
    } else {
        comparison(key)
    }
}

/// An article as the site will show it.
pub(crate) fn preview(slug: &str) -> String {
    format!("{}/preview", comparison(slug))
}

/// The history of a term (with its senses and examples).
pub(crate) fn term_history(name: &str) -> String {
    format!("/history?term={}", url_segment(name))
}

/// The history of a comparison (with its parts).
pub(crate) fn comparison_history(slug: &str) -> String {
    format!("/history?comparison={}", url_segment(slug))
}

/// One change in full.
pub(crate) fn change(id: i64) -> String {
    format!("/history/{id}")
}

/// The sign-in page, coming back to `next` after.
pub(crate) fn login(next: &str) -> String {
    format!("/login?next={}", url_segment(next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_encoded_and_entries_go_to_their_page() {
        assert_eq!(term("Executive Producer"), "/term/Executive%20Producer");
        assert_eq!(term("a/b?c#d"), "/term/a%2Fb%3Fc%23d");
        assert_eq!(entry(Kind::Example, "Producer"), "/term/Producer");
        assert_eq!(entry(Kind::Row, "a-vs-b"), "/compare/a-vs-b");
        assert_eq!(preview("a-vs-b"), "/compare/a-vs-b/preview");
        assert_eq!(term_history("A B"), "/history?term=A%20B");
        assert_eq!(change(7), "/history/7");
        assert_eq!(login("/term/A?x=1"), "/login?next=%2Fterm%2FA%3Fx%3D1");
    }
}
