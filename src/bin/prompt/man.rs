//! The man pages committed under `man/` match what clap_mangen generates from the command-line
//! definitions: `prompt.1` and one `prompt-COMMAND.1` per command.

use clap::CommandFactory;

/// Every page as (file name, roff text), generated from the clap definitions.
fn pages() -> Vec<(String, String)> {
    let mut cmd = crate::cli::Cli::command();
    cmd.build();
    let render = |c: clap::Command| {
        let mut out = Vec::new();
        clap_mangen::Man::new(c)
            .render(&mut out)
            .expect("render a man page");
        String::from_utf8(out).expect("roff is UTF-8")
    };
    let mut pages = vec![("prompt.1".to_string(), render(cmd.clone()))];
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("prompt-{}", sub.get_name());
        // The page is `prompt-diff`, the command typed is `prompt diff` (as git's pages do).
        let typed = format!("prompt {}", sub.get_name());
        let page = sub.clone().display_name(&name).bin_name(&typed);
        pages.push((format!("{name}.1"), render(page)));
    }
    pages
}

#[test]
fn committed_man_pages_are_fresh() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let update = std::env::var_os("UPDATE_MAN").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    let pages = pages();
    assert!(pages.len() > 20, "one page per command: {}", pages.len());
    for (file, text) in &pages {
        assert!(text.contains(".TH"), "{file}: {text}");
        let path = dir.join(file);
        if update {
            std::fs::write(&path, text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file.clone());
        }
    }
    // A page whose command is gone is stale too.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !pages.iter().any(|(f, _)| *f == name) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "man/{stale:?} are stale: run `UPDATE_MAN=1 cargo test --bin prompt man` and commit"
    );
}

#[test]
fn the_diff_page_documents_the_pending_form() {
    let (_, page) = pages()
        .into_iter()
        .find(|(f, _)| f == "prompt-diff.1")
        .expect("a page for diff");
    assert!(page.contains("pending change"), "{page}");
    let synopsis = page.split(".SH SYNOPSIS").nth(1).expect("a synopsis");
    assert!(
        synopsis.trim_start().starts_with("\\fBprompt diff\\fR"),
        "the synopsis names the command as typed: {synopsis}"
    );
    assert!(page.contains("word\\-diff"), "{page}");
}
