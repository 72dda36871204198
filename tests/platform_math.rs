//! racerun computes the same bits on every machine only if its code never calls the
//! platform's math library (`src/math`): this reads every source file and refuses a call
//! of `f64::exp`, `ln`, `powf` and the like outside tests.

use std::path::Path;

/// The methods of `f32` and `f64` that call the platform's math library.
const PLATFORM: [&str; 25] = [
    "exp", "exp2", "exp_m1", "ln", "ln_1p", "log", "log2", "log10", "powf", "cbrt", "hypot", "sin",
    "cos", "tan", "sin_cos", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh",
    "acosh", "atanh",
];

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A line without its `//` comment; string literals are kept but a `//` inside one does
/// not start a comment.
fn code_of(line: &str) -> &str {
    let (mut in_string, mut escaped) = (false, false);
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            return &line[..i];
        }
    }
    line
}

/// Whether `code` calls `name` of the platform: `.name(`, or `name` named through its
/// type (`f64::name`, `f32::name`, `<f64>::name`), not a longer name (`f64::exponent`).
fn calls(code: &str, name: &str) -> bool {
    if code.contains(&format!(".{name}(")) {
        return true;
    }
    ["f64::", "f32::", ">::"].iter().any(|prefix| {
        let qualified = format!("{prefix}{name}");
        code.match_indices(&qualified).any(|(at, _)| {
            let after = &code[at + qualified.len()..];
            !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
        })
    })
}

/// Calls of the platform's functions in the code before a file's inline test module,
/// outside comments, as `file:line: text`. (`#[cfg(test)] mod tests;`, a test module in
/// a file of its own, does not end the code.)
fn platform_calls(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
        if line.trim() == "#[cfg(test)]" && next.is_some_and(|l| l.trim().ends_with('{')) {
            break;
        }
        let code = code_of(line);
        if PLATFORM.iter().any(|name| calls(code, name)) {
            found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
        }
    }
    found
}

#[test]
fn no_source_calls_the_platform_math_library() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.len() > 100, "{} source files", files.len());
    let calls: Vec<String> = files
        .iter()
        // `src/math` is where the deterministic functions live; `tests.rs` files are
        // tests whole.
        .filter(|f| !f.starts_with(src.join("math")) && !f.ends_with("tests.rs"))
        .flat_map(|f| platform_calls(f))
        .collect();
    assert!(
        calls.is_empty(),
        "call racerun::math instead, whose bits are the same on every machine:\n{}",
        calls.join("\n")
    );
}

#[test]
fn the_check_sees_a_platform_call() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.rs");
    let text = [
        "#[cfg(test)]",
        "mod tests;",
        "fn f(x: f64) -> f64 {",
        "    // x.exp() in a comment",
        "    (x * 2.0).exp()",
        "}",
        "fn g(x: &[f64]) -> Vec<f64> { x.iter().copied().map(f32::ln).collect() }",
        "fn h(x: f64) -> f64 { f64::exponent_free(x) + <f64>::cosh(x) }",
        "fn k(x: f64) -> (usize, f64) { (\"https://a\".len(), x.log10()) }",
        "#[cfg(test)]",
        "mod inline {",
        "    fn g() { 1f64.ln(); }",
        "}",
    ]
    .join("\n");
    std::fs::write(&file, text).unwrap();
    let calls = platform_calls(&file);
    let lines: Vec<&str> = calls
        .iter()
        .map(|c| c.rsplit_once(".rs:").unwrap().1.split(':').next().unwrap())
        .collect();
    assert_eq!(lines, ["5", "7", "8", "9"], "{calls:?}");
}
