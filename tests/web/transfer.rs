//! Import uploads and the export download: checked before applied,
//! positioned errors, zips, names, spreadsheet-safe cells.

use crate::setup::{location, open, seeded};
use crate::util::{stderr, Env};
use crate::webclient::Server;

#[test]
fn an_upload_is_checked_then_applied() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let csrf = open(&mut b, "/import").csrf();
    let terms = "term,part_of_speech,note,status\nProducer,noun,Changed by upload,published\nGaffer,noun,,draft\n";
    let r = b.upload(
        &csrf,
        &[
            ("../../etc/terms.csv", terms.as_bytes()),
            ("notes.txt", b"hello"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("Gaffer") && html.contains("Changed by upload"),
        "{html}"
    );
    assert!(html.contains("notes.txt"), "ignored files are named");
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE term = 'Gaffer'"),
        0,
        "a dry run writes nothing"
    );
    let token = r.field("token").unwrap();
    let r = b.post("/import/apply", &[("csrf", &csrf), ("token", &token)]);
    assert!(location(&r).starts_with("/history/"));
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE term = 'Gaffer'"),
        1
    );
    // Applied once only.
    assert_eq!(
        b.post("/import/apply", &[("csrf", &csrf), ("token", &token)])
            .status,
        422
    );
    // Nothing was written outside the upload's temp dir.
    assert!(!env.dir.path().join("etc").exists());
}

#[test]
fn a_bad_upload_says_where_and_writes_nothing() {
    let (env, server) = seeded();
    let mut b = server.browser();
    let csrf = open(&mut b, "/import").csrf();
    let senses = "term,sense,domain,definition\nProducer,8,,Fine\nprodcer,1,,Typo\n";
    let r = b.upload(&csrf, &[("senses.csv", senses.as_bytes())]);
    assert_eq!(r.status, 422);
    assert!(
        r.text()
            .contains("senses.csv:3: unknown term &quot;prodcer&quot;"),
        "{}",
        r.text()
    );
    // Nothing glossary imports.
    let r = b.upload(&csrf, &[("x.txt", b"x")]);
    assert_eq!(r.status, 422);
    // No token, or a token after the files.
    let r = b.post_multipart(
        "/import",
        &[
            ("files", "senses.csv", senses.as_bytes()),
            ("csrf", "", csrf.as_bytes()),
        ],
    );
    assert_eq!(r.status, 403);
    // Too big: refused before it is read whole.
    let big = vec![b'a'; 65 << 20];
    let r = b.upload(&csrf, &[("terms.csv", &big)]);
    assert_eq!(r.status, 413);
    // A form over the form limit.
    let long = "x".repeat(2 << 20);
    let r = b.post(
        "/save",
        &[
            ("csrf", &csrf),
            ("kind", "faq"),
            ("id", "1"),
            ("answer", &long),
        ],
    );
    assert_eq!(r.status, 413);
    assert_eq!(
        env.count("SELECT count(*) FROM senses WHERE definition = 'Fine'"),
        0
    );
}

#[test]
fn a_zip_of_a_seed_directory_imports_and_the_export_downloads() {
    let env = Env::new();
    env.cmd().arg("init").assert().success();
    let server = Server::start(&env);
    let mut b = server.browser();
    let csrf = open(&mut b, "/import").csrf();
    // The export of a seeded glossary, as a zip, is an upload.
    let seeded = Env::new();
    seeded.import_seeds();
    let source = Server::start(&seeded);
    let zip = source.browser().get("/export.zip");
    assert_eq!(zip.status, 200);
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    assert!(zip.body.starts_with(b"PK"));
    let r = b.upload(&csrf, &[("seeds.zip", &zip.body)]);
    assert_eq!(r.status, 200, "{}", r.text());
    let token = r.field("token").unwrap();
    location(&b.post("/import/apply", &[("csrf", &csrf), ("token", &token)]));
    assert_eq!(
        env.count("SELECT count(*) FROM faqs"),
        seeded.count("SELECT count(*) FROM faqs")
    );
    // A zip that is not one.
    let r = b.upload(&csrf, &[("bad.zip", b"PK not really")]);
    assert_eq!(r.status, 422);
}

/// The names of the files in a zip.
fn zip_names(bytes: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    archive.file_names().map(str::to_string).collect()
}

#[test]
fn the_web_export_names_its_files_as_an_export_and_imports_once_unzipped() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[&[
        "add-faq",
        "producer-vs-executive-producer",
        "--question",
        "Is =1+2 a formula?",
        "--answer",
        "  =HYPERLINK(\"http://evil.example\") a;=cmd",
    ]]);
    let server = Server::start(&env);
    let mut b = server.browser();
    let zipped = b.get("/export.zip");
    assert_eq!(zipped.status, 200);
    let mut names = zip_names(&zipped.body);
    names.sort();
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("glossary/") && !n[9..].contains('/')),
        "{names:?}"
    );
    assert!(
        names.contains(&"glossary/terms.csv".to_string()),
        "{names:?}"
    );
    // Unzipped as a person would, the folder imports into a new database.
    let out = env.dir.path().join("unzipped");
    zip::ZipArchive::new(std::io::Cursor::new(&zipped.body[..]))
        .unwrap()
        .extract(&out)
        .unwrap();
    let fresh = env.dir.path().join("fresh.db");
    let imported = env
        .cmd_at(&fresh)
        .arg("import")
        .arg(out.join("glossary"))
        .output()
        .unwrap();
    assert!(imported.status.success(), "{}", stderr(&imported));
    // For a spreadsheet: formulas guarded, every cell quoted.
    let safe = b.get("/export.zip?spreadsheet_safe=1");
    assert_eq!(safe.status, 200);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&safe.body[..])).unwrap();
    let mut faqs = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("glossary/faqs.csv").unwrap(),
        &mut faqs,
    )
    .unwrap();
    assert!(
        faqs.contains("\"'Is =1+2 a formula?\"") || faqs.contains("\"Is =1+2 a formula?\""),
        "{faqs}"
    );
    assert!(
        faqs.contains("\"'  =HYPERLINK(\"\"http://evil.example\"\") a;=cmd\""),
        "{faqs}"
    );
}

#[test]
fn spreadsheet_safe_guards_formulas_after_spaces_and_quotes_every_cell() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[&[
        "add-faq",
        "producer-vs-executive-producer",
        "--question",
        "Who?",
        "--answer",
        " @SUM(A1) x;=cmd|' /C calc'!A0",
    ]]);
    let out = env.output(&["export", "--spreadsheet-safe", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let faqs = std::fs::read_to_string(env.dir.path().join("out/faqs.csv")).unwrap();
    assert!(
        faqs.contains("\"' @SUM(A1) x;=cmd|' /C calc'!A0\""),
        "{faqs}"
    );
    assert!(
        faqs.lines().all(|l| l.is_empty() || l.starts_with('"')),
        "{faqs}"
    );
}
