//! The site's settings in an import: `site.csv` (`key,value`), which an
//! export writes beside the content's files. Each row is checked as
//! `glossary site set` checks it; a bad one is a problem with its line,
//! like any row, and nothing is written.

use super::*;

#[derive(Deserialize)]
struct Setting {
    key: String,
    value: String,
}

pub(super) fn import(
    conn: &Connection,
    path: &Path,
    display: &str,
    problems: &mut Vec<Problem>,
    observer: &mut dyn Observer,
) -> Result<Counts> {
    let file = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::Headers)
        .from_reader(file.take(1 << 20));
    let mut counts = Counts::default();
    let problem = |problems: &mut Vec<Problem>, line: u64, message: String| {
        problems.push(Problem {
            file: display.to_string(),
            line,
            message,
        });
    };
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problem(problems, 1, format!("cannot read the header: {e}"));
            return Ok(counts);
        }
    };
    if !headers.iter().any(|h| h.eq_ignore_ascii_case("key"))
        || !headers.iter().any(|h| h.eq_ignore_ascii_case("value"))
    {
        problem(
            problems,
            1,
            format!(
                "the header must be key,value (it is {})",
                headers.iter().collect::<Vec<_>>().join(",")
            ),
        );
        return Ok(counts);
    }
    for (i, row) in reader.deserialize::<Setting>().enumerate() {
        let line = row
            .as_ref()
            .err()
            .and_then(|e| e.position())
            .map_or(i as u64 + 2, |p| p.line());
        let setting = match row {
            Ok(s) => s,
            Err(e) => {
                problem(problems, line, format!("cannot read this row: {e}"));
                continue;
            }
        };
        let key = setting.key.trim();
        let before = crate::settings::get(conn, key)?;
        match crate::settings::set(conn, key, &setting.value) {
            Ok(value) => {
                let outcome = match before {
                    None => Outcome::Inserted,
                    Some(old) if old == value => Outcome::Unchanged,
                    Some(old) => Outcome::Updated {
                        changes: vec![crate::model::FieldChange {
                            field: "value",
                            old: Some(old),
                            new: Some(value),
                        }],
                    },
                };
                counts.add(&outcome);
                observer.row(display, line, &format!("site setting {key}"), &outcome);
            }
            Err(e) if e.is_about_input() => problem(problems, line, e.to_string()),
            Err(e) => return Err(e),
        }
    }
    Ok(counts)
}
