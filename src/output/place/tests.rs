use super::*;

/// A result file of a run, for tests that need a result.
fn write_runs(dir: &Path) -> Result<(), OutputError> {
    std::fs::write(dir.join("runs.csv"), "run\n").map_err(|e| OutputError::io(dir, e))
}

/// Checks `out` for a run and publishes a small result there.
fn publish_run(out: &Path) {
    let dest = Destination::check(out, OutputKind::Run, &[]).unwrap();
    dest.publish::<OutputError>(write_runs).unwrap();
}

#[test]
fn leftover_names() {
    assert_eq!(leftover_pid(".out.tmp-123", "out"), Some(123));
    assert_eq!(leftover_pid(".out.old-9", "out"), Some(9));
    assert_eq!(leftover_pid(".out.tmp-x", "out"), None);
    assert_eq!(leftover_pid(".outer.tmp-1", "out"), None);
    assert_eq!(leftover_pid("out.tmp-1", "out"), None);
}

#[test]
fn going_up_out_of_a_directory_yet_to_be_made_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let thesis = tmp.path().join("thesis");
    std::fs::create_dir(&thesis).unwrap();
    std::fs::write(thesis.join("ch1.txt"), "precious").unwrap();
    let sneaky = tmp.path().join("nd/../thesis");
    let e = Destination::check(&sneaky, OutputKind::Run, &[]).unwrap_err();
    assert!(e.to_string().contains("goes up (..) out of"), "{e}");
    assert!(!tmp.path().join("nd").exists(), "nothing was made");
    // Through a directory that exists, `..` is the system's: the check sees `thesis`.
    std::fs::create_dir(tmp.path().join("d")).unwrap();
    let e = Destination::check(&tmp.path().join("d/../thesis"), OutputKind::Run, &[]).unwrap_err();
    assert!(
        e.to_string().contains("directory racerun did not write"),
        "{e}"
    );
    let e = Destination::check(&tmp.path().join("d/.."), OutputKind::Run, &[]).unwrap_err();
    assert!(e.to_string().contains("ends in .."), "{e}");
    assert_eq!(
        std::fs::read_to_string(thesis.join("ch1.txt")).unwrap(),
        "precious"
    );
}

#[test]
fn only_a_sweep_may_hold_finished_cells() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    publish_run(&out);
    std::fs::create_dir(out.join(".cells")).unwrap();
    std::fs::write(out.join(".cells/notes.txt"), "mine").unwrap();
    let e = Destination::check(&out, OutputKind::Run, &[]).unwrap_err();
    assert!(
        e.to_string().contains("did not write there (.cells)"),
        "{e}"
    );
}

#[test]
fn what_is_added_while_the_result_is_built_is_not_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    publish_run(&out);
    let dest = Destination::check(&out, OutputKind::Run, &[]).unwrap();
    let e = dest
        .publish::<OutputError>(|dir| {
            std::fs::write(out.join("notes.txt"), "mine").unwrap();
            write_runs(dir)
        })
        .unwrap_err();
    assert!(
        e.message.contains("changed while racerun was writing"),
        "{}",
        e.message
    );
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    drop(dest);
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no staging or lock left"
    );
}

#[test]
fn a_report_being_written_is_not_a_stranger() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    publish_run(&out);
    std::fs::write(out.join("report.tmp-4000000"), "<html>").unwrap();
    assert!(Destination::check(&out, OutputKind::Run, &[]).is_ok());
    std::fs::write(out.join("report.tmp-x"), "mine").unwrap();
    assert!(Destination::check(&out, OutputKind::Run, &[]).is_err());
}

#[test]
fn a_trailing_dot_names_the_directory_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r1");
    for _ in 0..2 {
        let dest = Destination::check(&out.join("."), OutputKind::Run, &[]).unwrap();
        assert_eq!(dest.path(), out);
        dest.publish::<OutputError>(write_runs).unwrap();
    }
    assert!(out.join("runs.csv").is_file());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_refused_with_or_without_a_trailing_slash() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("real")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("real"), tmp.path().join("lnk")).unwrap();
    for out in ["lnk", "lnk/", "lnk//"] {
        let e = Destination::check(&tmp.path().join(out), OutputKind::Run, &[]).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{out}: {e}");
    }
    std::os::unix::fs::symlink(tmp.path().join("nowhere"), tmp.path().join("dangling")).unwrap();
    let e = Destination::check(&tmp.path().join("dangling/sub"), OutputKind::Run, &[]).unwrap_err();
    assert!(
        e.to_string()
            .contains("a symbolic link that leads to no directory"),
        "{e}"
    );
}

/// A directory at `tmp/name` holding `files` (name, text).
fn folder(tmp: &Path, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = tmp.join(name);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn a_folder_that_only_looks_like_an_old_result_keeps_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            OutputKind::Run,
            folder(
                tmp.path(),
                "a",
                &[
                    ("manifest.json", r#"{"scenario_sha256":"x"}"#),
                    ("thesis.tex", "precious"),
                ],
            ),
        ),
        (
            OutputKind::Sensitivity,
            folder(
                tmp.path(),
                "b",
                &[
                    ("summary.json", r#"{"method":"ols","points":[1,2]}"#),
                    ("paper.tex", "precious"),
                ],
            ),
        ),
        (
            OutputKind::Sweep,
            folder(
                tmp.path(),
                "c",
                &[("summary.json", r#"{"kind":"sweep"}"#), ("data.csv", "1,2")],
            ),
        ),
        (
            OutputKind::Sweep,
            folder(tmp.path(), "d", &[(".cells/notebook.ipynb", "{}")]),
        ),
    ];
    for (kind, dir) in cases {
        let e = Destination::check(&dir, kind, &[]).unwrap_err();
        assert!(
            e.why.contains("did not write there"),
            "{}: {e}",
            dir.display()
        );
    }
    // An old result with only racerun's files is still replaced.
    let old = folder(
        tmp.path(),
        "old",
        &[
            ("manifest.json", r#"{"scenario_sha256":"x"}"#),
            ("runs.csv", "run\n"),
            ("charts/leapfrog.png", "png"),
        ],
    );
    Destination::check(&old, OutputKind::Run, &[])
        .unwrap()
        .publish::<OutputError>(write_runs)
        .unwrap();
}

#[test]
fn only_the_charts_racerun_draws_are_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    publish_run(&out);
    std::fs::create_dir(out.join("charts")).unwrap();
    std::fs::write(out.join("charts/leapfrog.png"), "png").unwrap();
    assert!(Destination::check(&out, OutputKind::Run, &[]).is_ok());
    std::fs::write(out.join("charts/my_annotated_figure.png"), "mine").unwrap();
    let e = Destination::check(&out, OutputKind::Run, &[]).unwrap_err();
    assert!(e.why.contains("charts/my_annotated_figure.png"), "{e}");
    assert!(check_charts(&out).is_err(), "nor does plot redraw over it");
    // A leftover's name on someone's charts: not removed.
    let theirs = folder(tmp.path(), ".s.tmp-4000000", &[("figure.png", "mine")]);
    Destination::check(&tmp.path().join("s"), OutputKind::Run, &[]).unwrap();
    assert!(theirs.join("figure.png").is_file());
}

#[test]
fn one_racerun_at_a_time_writes_a_result() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    publish_run(&out);
    let first = Destination::check(&out, OutputKind::Run, &[]).unwrap();
    let e = Destination::check(&out, OutputKind::Run, &[]).unwrap_err();
    assert!(e.why.contains("another racerun is writing it now"), "{e}");
    let e = check_charts(&out).unwrap_err();
    assert!(e.why.contains("another racerun is writing it now"), "{e}");
    first.publish::<OutputError>(write_runs).unwrap();
    drop(first);
    let redraw = check_charts(&out).unwrap();
    assert!(Destination::check(&out, OutputKind::Run, &[]).is_err());
    drop(redraw);
    assert!(Destination::check(&out, OutputKind::Run, &[]).is_ok());
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no lock file left"
    );
}

#[cfg(unix)]
#[test]
fn a_replaced_result_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("private");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o700)).unwrap();
    publish_run(&out);
    publish_run(&out);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(mode & 0o7777, 0o700);
}

#[cfg(unix)]
#[test]
fn every_path_to_a_result_finds_its_one_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("res");
    publish_run(&out);
    std::os::unix::fs::symlink(&out, tmp.path().join("alias")).unwrap();
    let writing = Destination::check(&out, OutputKind::Run, &[]).unwrap();
    for other in [tmp.path().join("alias"), out.join(".")] {
        let e = check_charts(&other).unwrap_err();
        assert!(
            e.why.contains("another racerun is writing it now"),
            "{}: {e}",
            other.display()
        );
    }
    drop(writing);
    assert!(check_charts(&tmp.path().join("alias")).is_ok());
}
