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
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no staging left"
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
