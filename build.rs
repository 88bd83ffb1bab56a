//! Marks the browser tests ignored where they cannot run (no chromedriver
//! or chromium on PATH), so `cargo test` says "ignored" rather than "ok"
//! for a test that did not run. With `GLOSSARY_BROWSER_TESTS=require` (as
//! `.ci/run` sets) they always run, and fail without a browser.

use std::path::PathBuf;

fn found(name: &str, var: &str) -> bool {
    if std::env::var_os(var).is_some() {
        return true;
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d: PathBuf| d.join(name).is_file()))
}

fn main() {
    println!("cargo::rustc-check-cfg=cfg(no_browser)");
    for var in [
        "PATH",
        "GLOSSARY_BROWSER_TESTS",
        "GLOSSARY_CHROMEDRIVER",
        "GLOSSARY_CHROMIUM",
    ] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    println!("cargo::rerun-if-changed=build.rs");
    let required = std::env::var("GLOSSARY_BROWSER_TESTS").is_ok_and(|v| v == "require");
    let browser =
        found("chromedriver", "GLOSSARY_CHROMEDRIVER") && found("chromium", "GLOSSARY_CHROMIUM");
    if !required && !browser {
        println!("cargo::rustc-cfg=no_browser");
    }
}
