//! Text as each output format needs it: escaped for HTML and Markdown,
//! and dates as people read them. Used by the terminal printers
//! ([`crate::output`]) and the page renderer ([`crate::render`]) alike, so
//! neither depends on the other.

/// Text made safe inside HTML elements and attribute values.
pub fn html(s: &str) -> String {
    // The runs between the five characters copied whole (a site build
    // escapes every text it shows; a character at a time cost it a
    // twentieth of its time). They are ASCII: their byte offsets are
    // character boundaries.
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let mut done = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[done..i]);
        out.push_str(entity);
        done = i + 1;
    }
    out.push_str(&s[done..]);
    out
}

/// Text that Markdown shows as written: characters that would start
/// emphasis, code, links, HTML or a heading are escaped.
pub fn markdown_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('#')
            || trimmed.starts_with("- ")
            || trimmed.starts_with("+ ")
            || trimmed.starts_with('>')
            || trimmed.starts_with('=')
        {
            out.push('\\');
        }
        for c in line.chars() {
            if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// `2023-12-02` as `December 2, 2023`, as the seed page says it.
pub fn long_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    match (
        parts.as_slice(),
        parts.get(1).and_then(|m| m.parse::<usize>().ok()),
    ) {
        ([y, _, d], Some(m)) if (1..=12).contains(&m) => {
            format!("{} {}, {y}", MONTHS[m - 1], d.trim_start_matches('0'))
        }
        _ => iso.to_string(),
    }
}

/// Text for a Markdown table cell: line breaks as <br>. Pipes are escaped
/// once, by [`markdown_inline`]: escaping them again made `\\|`, an escaped
/// backslash and then a cell break.
pub fn markdown_cell(s: &str) -> String {
    markdown_inline(s)
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// Text as one segment of a URL path or a query value: every byte but
/// letters, digits and `-_.~` percent-encoded (so `/`, `?`, `#`, `&` and
/// spaces in a term or slug stay inside the segment).
pub fn url_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Text for one line of a log: every control character (a line break
/// that would start a forged line, a terminal escape) written as an
/// escape, the rest as it is.
pub fn log_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_line_is_one_line() {
        assert_eq!(
            log_line("ana\nglossary: admin signed in\u{1b}[2J"),
            "ana\\nglossary: admin signed in\\u{1b}[2J"
        );
        assert_eq!(log_line("Zoë \"x\""), "Zoë \"x\"");
    }

    #[test]
    fn html_escapes_everything_that_could_be_markup() {
        assert_eq!(
            html("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        // Around characters of several bytes, at both ends, and none.
        assert_eq!(html("é<ü>€&"), "é&lt;ü&gt;€&amp;");
        assert_eq!(html("Zoë — café"), "Zoë — café");
        assert_eq!(html(""), "");
    }

    #[test]
    fn markdown_shows_text_as_written() {
        assert_eq!(
            markdown_inline("a *b* _c_ [d](e) <f>"),
            "a \\*b\\* \\_c\\_ \\[d\\](e) \\<f\\>"
        );
        assert_eq!(markdown_inline("# not a heading"), "\\# not a heading");
    }

    #[test]
    fn dates_read_like_the_seed_page() {
        assert_eq!(long_date("2023-12-02"), "December 2, 2023");
        assert_eq!(long_date("nonsense"), "nonsense");
    }

    #[test]
    fn markdown_cells_keep_to_one_cell() {
        assert_eq!(markdown_cell("a | b\nc"), "a \\| b<br>c");
    }

    #[test]
    fn url_segments_keep_reserved_characters_inside() {
        assert_eq!(url_segment("Executive Producer"), "Executive%20Producer");
        assert_eq!(url_segment("a/b?c#d&e"), "a%2Fb%3Fc%23d%26e");
        assert_eq!(url_segment("café"), "caf%C3%A9");
        assert_eq!(url_segment("x-y_z.~"), "x-y_z.~");
    }
}
