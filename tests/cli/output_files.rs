//! `-o FILE` (`bundle`, `schema`, `export`): a regular file is replaced whole through a rename;
//! a FIFO, a device or a symbolic link is written in place and never replaced (issue 24 item 16).
//!
//! No test passes a system path to the command: the devices are reached through links made in
//! the test's own temporary folder, so even the old behaviour (renaming over the path) only
//! ever replaced the link.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;

use crate::common::{text_prompt, TestRepo};

/// A registry with `greet` version 1 promoted to production.
fn promoted() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_prompt("greet", &text_prompt("Hello"));
    repo.prompt(&["commit", "-m", "greet"]).success();
    repo.prompt(&["promote", "greet@1", "production", "--yes"])
        .success();
    repo
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path)
        .unwrap()
        .file_type()
        .is_symlink()
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn a_link_to_a_regular_file_is_kept_and_the_file_it_points_at_is_replaced() {
    let repo = promoted();
    let target = repo.sibling("real.json");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = repo.root().join("bundle.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    repo.prompt(&["bundle", "--env", "production", "-o", "bundle.json"])
        .success();
    assert!(is_link(&link), "the link was replaced by a file");
    let bundle: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(bundle["prompts"]["greet"]["version"], 1);
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the replaced file keeps its permissions");
    // No temporary file is left beside either path.
    for dir in [repo.root(), repo.sibling("")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name();
            assert!(
                !name.to_string_lossy().starts_with(".prompt-output"),
                "{name:?}"
            );
        }
    }

    std::fs::write(&target, "old").unwrap();
    repo.prompt(&["schema", "-o", "bundle.json"]).success();
    assert!(is_link(&link));
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("\"$schema\""));
}

#[test]
fn a_fifo_is_written_to_and_its_reader_gets_the_whole_bundle() {
    let repo = promoted();
    for args in [
        &["bundle", "--env", "production", "-o"][..],
        &["schema", "-o"][..],
    ] {
        let fifo = repo.sibling("out.fifo");
        let _ = std::fs::remove_file(&fifo);
        mkfifo(&fifo);
        let reader = {
            let fifo = fifo.clone();
            // Opening a FIFO for reading waits for a writer: the command under test.
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let mut full = args.to_vec();
        let path = fifo.to_str().unwrap();
        full.push(path);
        repo.prompt(&full).success();
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        // Checked before joining: had the FIFO been replaced, the reader would wait forever.
        assert!(
            kind.is_fifo(),
            "{args:?}: the FIFO was replaced by {kind:?}"
        );
        let text = reader.join().unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(json.is_object(), "{args:?}: {text}");
    }
}

#[test]
fn a_link_to_a_character_device_is_written_through_never_replaced() {
    let repo = promoted();
    // A link (in the test's folder) to the command's own standard output: the bundle must come
    // out on stdout, and the link must still be a link.
    let stdout = repo.root().join("to-stdout.json");
    std::os::unix::fs::symlink("/dev/stdout", &stdout).unwrap();
    let run = repo
        .prompt(&["bundle", "--env", "production", "-o", "to-stdout.json"])
        .success();
    assert!(is_link(&stdout), "the link to /dev/stdout was replaced");
    let bundle: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(bundle["prompts"]["greet"]["version"], 1);

    // A link to the null device: written, and still a link afterwards.
    let null = repo.root().join("discard.json");
    std::os::unix::fs::symlink("/dev/null", &null).unwrap();
    repo.prompt(&["bundle", "--env", "production", "-o", "discard.json"])
        .success();
    assert!(is_link(&null), "the link to /dev/null was replaced");
    repo.prompt(&["schema", "-o", "discard.json"]).success();
    assert!(is_link(&null));
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
}

#[test]
fn an_absent_path_gets_a_new_file_and_a_folder_is_refused() {
    let repo = promoted();
    repo.prompt(&["bundle", "--env", "production", "-o", "new.json"])
        .success();
    let mode = std::fs::metadata(repo.root().join("new.json"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o644);
    std::fs::create_dir(repo.root().join("folder")).unwrap();
    repo.prompt(&["bundle", "--env", "production", "-o", "folder"])
        .code(1)
        .stderr_has("folder");
    assert!(repo.root().join("folder").is_dir());
}
