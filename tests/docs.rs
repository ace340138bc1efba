//! The rubric format reference, `docs/rubric-format.md`, is tested so that it
//! cannot drift from the code:
//!
//! - every ```` ```ron ```` block carries a tag saying what it is (see
//!   [`Tag`]), and is read (and, where it can be, validated) as that;
//! - every field name and every choice in `src/rubric/file.rs` is mentioned
//!   in `backticks`;
//! - the example rubrics in `rubrics/` are valid.
//!
//! Failures name the line of the block in the doc.

use std::collections::HashSet;
use std::fmt::Write as _;

use osce::rubric::file::{
    CandidateFeedbackFile, ComponentsFile, DoubleMarkingFile, ExaminerViewFile, GlobalRatingFile, ItemFile,
    LogbookFile, MarksColumnFile, ModerationFile, PassMarkFile, PassRuleFile, ScaleFile, StationFile,
    TimingFile,
};
use osce::rubric::{Severity, check_str};
use serde::de::DeserializeOwned;

const DOC_PATH: &str = "docs/rubric-format.md";
const DOC: &str = include_str!("../docs/rubric-format.md");
const FILE_RS: &str = include_str!("../src/rubric/file.rs");

/// What a ```` ```ron ```` block is, from the word after `ron`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Tag {
    /// A complete rubric: valid, with no errors and no warnings.
    Rubric,
    /// A complete rubric that must be refused. Further words in the info
    /// string are paths that must each carry an error; `syntax` stands for
    /// an error in reading the RON (which has no path).
    Invalid,
    Scale,
    Station,
    Item,
    Timing,
    GlobalRating,
    PassMark,
    PassRule,
    /// A list of pass rules, as written after `pass_rules:`.
    PassRules,
    Components,
    Moderation,
    DoubleMarking,
    ExaminerView,
    CandidateFeedback,
    MarksCsv,
    /// A logbook gate, validated inside a rubric with a `logbook`
    /// component.
    Logbook,
}

const TAGS: [(&str, Tag); 17] = [
    ("rubric", Tag::Rubric),
    ("invalid", Tag::Invalid),
    ("scale", Tag::Scale),
    ("station", Tag::Station),
    ("item", Tag::Item),
    ("timing", Tag::Timing),
    ("global_rating", Tag::GlobalRating),
    ("pass_mark", Tag::PassMark),
    ("pass_rule", Tag::PassRule),
    ("pass_rules", Tag::PassRules),
    ("components", Tag::Components),
    ("moderation", Tag::Moderation),
    ("double_marking", Tag::DoubleMarking),
    ("examiner_view", Tag::ExaminerView),
    ("candidate_feedback", Tag::CandidateFeedback),
    ("marks_csv", Tag::MarksCsv),
    ("logbook", Tag::Logbook),
];

#[derive(Debug)]
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    /// The words after `ron` in the info string.
    words: Vec<String>,
    text: String,
}

/// Every fenced block whose info string starts with `ron`, or an error for
/// a fence that is never closed.
fn ron_blocks(doc: &str) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, String)> = None; // (line, fence, info)
    let mut text = String::new();
    for (i, line) in doc.lines().enumerate() {
        let trimmed = line.trim_start();
        match &open {
            None => {
                let ticks = trimmed.chars().take_while(|&c| c == '`').count();
                if ticks >= 3 {
                    let fence = "`".repeat(ticks);
                    open = Some((i + 1, fence, trimmed[ticks..].trim().to_string()));
                    text.clear();
                }
            }
            Some((start, fence, info)) => {
                if trimmed.starts_with(fence.as_str()) && trimmed.trim_start_matches('`').trim().is_empty() {
                    let mut words = info
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string);
                    if words.next().is_some_and(|lang| lang.eq_ignore_ascii_case("ron")) {
                        blocks.push(Block {
                            line: *start,
                            words: words.collect(),
                            text: text.clone(),
                        });
                    }
                    open = None;
                } else {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
    }
    match open {
        Some((line, ..)) => Err(format!("{DOC_PATH}:{line}: code block is never closed")),
        None => Ok(blocks),
    }
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    ron_options().from_str::<T>(text).map_err(|e| e.to_string())
}

/// Diagnostics of a checked text, one per line: all of them, or only the
/// errors.
fn listing(checked: &osce::rubric::Checked, errors_only: bool) -> String {
    checked
        .diagnostics
        .iter()
        .filter(|d| !errors_only || d.severity == Severity::Error)
        .map(|d| format!("\n      {:?} at {}:{}: {d}", d.severity, d.line, d.column))
        .collect()
}

/// A small valid rubric around a piece from the doc. `scales` and `stations`
/// are RON list entries (each ending in a comma); `extra` is further
/// top-level fields. A filler station and scale keep the rubric valid
/// whatever the piece is.
fn wrap(scales: &str, stations: &str, extra: &str) -> String {
    format!(
        r#"(
    id: "doc-example", title: "Doc example", kind: PracticalExam, version: "1",
    scales: [
        {scales}
        (id: "doc-filler-scale", levels: Named([(label: "No", mark: 0), (label: "Yes", mark: 1)])),
    ],
    stations: [
        {stations}
        (id: "doc-filler-station", title: "Filler", items: [(id: "i", text: "Filler", scale: "doc-filler-scale")], pass_mark: Percent(50)),
    ],
    pass_rules: [StationsPassed(All)],
    {extra}
)"#
    )
}

/// Checks a wrapped piece: it must give no errors.
fn wrapped_ok(name: &str, text: &str) -> Result<(), String> {
    let checked = check_str(name, text);
    if checked.errors().count() == 0 && checked.rubric.is_some() {
        Ok(())
    } else {
        Err(format!(
            "is not valid inside a rubric:{}",
            listing(&checked, true)
        ))
    }
}

/// Runs one block; `library` is every `ron scale` block of the doc, for the
/// items and stations that use them.
fn run(block: &Block, tag: Tag, library: &str) -> Result<(), String> {
    let name = format!("{DOC_PATH}:{}", block.line);
    let text = block.text.as_str();
    match tag {
        Tag::Rubric => {
            let checked = check_str(&name, text);
            if checked.rubric.is_some() && checked.diagnostics.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "should be a valid rubric with no errors or warnings:{}",
                    listing(&checked, false)
                ))
            }
        }
        Tag::Invalid => {
            let checked = check_str(&name, text);
            if checked.rubric.is_some() || checked.errors().count() == 0 {
                return Err(format!(
                    "should be refused, but has no errors:{}",
                    listing(&checked, false)
                ));
            }
            let mut missing = Vec::new();
            for expected in &block.words[1..] {
                let found = checked.errors().any(|d| match &d.path {
                    None => expected == "syntax",
                    Some(path) => path == expected,
                });
                if !found {
                    missing.push(expected.as_str());
                }
            }
            if missing.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "should have errors at {}, but has:{}",
                    missing.join(", "),
                    listing(&checked, true)
                ))
            }
        }
        Tag::Scale => scale_ok(&name, text),
        Tag::Station => {
            parse::<StationFile>(text)?;
            wrapped_ok(&name, &wrap(library, &format!("{text},"), ""))
        }
        Tag::Item => {
            parse::<ItemFile>(text)?;
            let station = format!(r#"(id: "s", title: "S", items: [{text}], pass_mark: Percent(50)),"#);
            wrapped_ok(&name, &wrap(library, &station, ""))
        }
        Tag::Timing => {
            parse::<TimingFile>(text)?;
            let station = format!(
                r#"(id: "s", title: "S", timing: {text}, items: [(id: "i", text: "I", scale: "doc-filler-scale")], pass_mark: Percent(50)),"#
            );
            wrapped_ok(&name, &wrap("", &station, ""))
        }
        Tag::GlobalRating => {
            parse::<GlobalRatingFile>(text)?;
            let station = format!(
                r#"(id: "s", title: "S", items: [(id: "i", text: "I", scale: "doc-filler-scale")], global_rating: {text}, pass_mark: Percent(50)),"#
            );
            wrapped_ok(&name, &wrap(library, &station, ""))
        }
        Tag::Moderation => {
            parse::<ModerationFile>(text)?;
            wrapped_ok(&name, &wrap("", "", &format!("moderation: {text},")))
        }
        Tag::DoubleMarking => {
            parse::<DoubleMarkingFile>(text)?;
            wrapped_ok(&name, &wrap("", "", &format!("double_marking: {text},")))
        }
        Tag::ExaminerView => {
            parse::<ExaminerViewFile>(text)?;
            wrapped_ok(&name, &wrap("", "", &format!("examiner_view: {text},")))
        }
        Tag::CandidateFeedback => {
            parse::<CandidateFeedbackFile>(text)?;
            wrapped_ok(&name, &wrap("", "", &format!("candidate_feedback: {text},")))
        }
        Tag::MarksCsv => {
            parse::<Vec<MarksColumnFile>>(text)?;
            wrapped_ok(&name, &wrap("", "", &format!("marks_csv: {text},")))
        }
        Tag::Logbook => {
            parse::<LogbookFile>(text)?;
            let extra = format!(
                r#"components: (parts: [(id: "logbook", title: "Logbook", kind: PassFail)]), logbook: {text},"#
            );
            wrapped_ok(&name, &wrap("", "", &extra))
        }
        // These name stations or depend on a station's items, so they are
        // only read; the complete rubrics in the doc show them in place.
        Tag::PassMark => parse::<PassMarkFile>(text).map(drop),
        Tag::PassRule => parse::<PassRuleFile>(text).map(drop),
        Tag::PassRules => parse::<Vec<PassRuleFile>>(text).map(drop),
        Tag::Components => parse::<ComponentsFile>(text).map(drop),
    }
}

/// A scale block must read as a scale and be valid when an item uses it.
fn scale_ok(name: &str, text: &str) -> Result<(), String> {
    let id = parse::<ScaleFile>(text)?.id;
    let station = format!(
        r#"(id: "s", title: "S", items: [(id: "i", text: "I", scale: "{id}")], pass_mark: Percent(50)),"#
    );
    wrapped_ok(name, &wrap(&format!("{text},"), &station, ""))
}

fn tag_of(block: &Block) -> Result<Tag, String> {
    let allowed = || TAGS.iter().map(|(w, _)| *w).collect::<Vec<_>>().join(", ");
    let Some(word) = block.words.first() else {
        return Err(format!(
            "```ron block has no tag; write ```ron TAG, with TAG one of {}",
            allowed()
        ));
    };
    TAGS.iter()
        .find(|(w, _)| w == word)
        .map(|(_, tag)| *tag)
        .ok_or_else(|| format!("unknown tag `{word}`; use one of {}", allowed()))
}

#[test]
fn every_ron_block_in_the_doc_is_what_its_tag_says() {
    let blocks = ron_blocks(DOC).unwrap_or_else(|e| panic!("{e}"));
    assert!(!blocks.is_empty(), "{DOC_PATH} has no ```ron blocks");

    // Scales defined in the doc, for its items and stations: the first
    // definition of each id, so repeats do not clash, and only good ones, so
    // a broken scale is reported once, at its own block.
    let mut library = String::new();
    let mut ids = HashSet::new();
    for block in &blocks {
        if block.words.first().map(String::as_str) == Some("scale")
            && scale_ok("", &block.text).is_ok()
            && let Ok(scale) = parse::<ScaleFile>(&block.text)
            && ids.insert(scale.id)
        {
            let _ = write!(library, "{},", block.text);
        }
    }

    let mut failures = Vec::new();
    let mut seen = HashSet::new();
    for block in &blocks {
        let outcome = tag_of(block).and_then(|tag| {
            seen.insert(tag);
            if tag != Tag::Invalid && block.words.len() > 1 {
                return Err(format!(
                    "only `invalid` blocks take words after the tag, found `{}`",
                    block.words[1..].join(" ")
                ));
            }
            run(block, tag, &library)
        });
        if let Err(e) = outcome {
            failures.push(format!(
                "{DOC_PATH}:{}: ```ron {}: {e}",
                block.line,
                block.words.join(" ")
            ));
        }
    }
    for (word, tag) in TAGS {
        if !seen.contains(&tag) {
            failures.push(format!(
                "{DOC_PATH}: no ```ron {word} block; show at least one example"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} ```ron blocks failed:\n\n{}",
        failures.len(),
        blocks.len(),
        failures.join("\n\n")
    );
}

/// `name` in `pub name:` lines of structs, and in `name:` lines inside the
/// braces of enum variants (`TotalAtLeast { cut: ..., plus_sem: ... }`).
/// Also every enum variant, as the choices a rubric writer can make.
fn names_in_file_rs() -> (Vec<String>, Vec<String>) {
    let source = FILE_RS.split("#[cfg(test)]").next().unwrap_or(FILE_RS);
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut fields = Vec::new();
    let mut choices = Vec::new();
    // Inside a `pub enum` body: brace depth relative to the enum.
    let mut enum_depth: Option<i32> = None;
    for line in source.lines() {
        let t = line.trim();
        if t.starts_with("//") || t.starts_with("#[") {
            continue;
        }
        match enum_depth {
            None => {
                if let Some(rest) = t.strip_prefix("pub struct ")
                    && !rest.contains('{')
                {
                    // A tuple struct such as `ClockTime(pub u32)`: no fields.
                    continue;
                }
                if let Some(rest) = t.strip_prefix("pub ")
                    && !rest.starts_with("fn ")
                    && !rest.starts_with("struct ")
                    && !rest.starts_with("enum ")
                    && let Some((name, _)) = rest.split_once(':')
                    && !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    fields.push(name.to_string());
                }
                if t.starts_with("pub enum ") && t.ends_with('{') {
                    enum_depth = Some(1);
                }
            }
            Some(depth) => {
                if depth == 1 && t.starts_with(|c: char| c.is_ascii_uppercase()) {
                    choices.push(ident(t));
                    // Single-line struct variant: `Numeric { max: u32 },`.
                    if let (Some(open), Some(close)) = (t.find('{'), t.rfind('}')) {
                        for part in t[open + 1..close].split(',') {
                            if let Some((name, _)) = part.split_once(':') {
                                fields.push(name.trim().to_string());
                            }
                        }
                    }
                } else if depth == 2
                    && let Some((name, _)) = t.split_once(':')
                    && !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    fields.push(name.to_string());
                }
                let opens = t.matches('{').count() as i32;
                let closes = t.matches('}').count() as i32;
                let depth = depth + opens - closes;
                enum_depth = (depth > 0).then_some(depth);
            }
        }
    }
    (fields, choices)
}

#[test]
fn the_doc_mentions_every_field_and_choice() {
    let (fields, choices) = names_in_file_rs();
    // The reader of file.rs must keep finding what is plainly there; if
    // these go missing, the reader broke rather than the doc.
    for expected in [
        "id",
        "pass_rules",
        "examiner_view",
        "not_observed",
        "borderline",
        "candidate_instructions",
        "time_up",
        "descriptors",
        "prompt",
        "pass_percent",
        "parts",
        "discrepancy",
        "reconcile",
        "show_running_total",
        "max",
        "provisional",
        "percent",
        "cut",
        "plus_sem",
    ] {
        assert!(
            fields.iter().any(|f| f == expected),
            "reading src/rubric/file.rs did not find field `{expected}`; found {fields:?}"
        );
    }
    for expected in [
        "Osce",
        "Named",
        "Numeric",
        "Hard",
        "FailsAssessment",
        "GlobalRatingAtLeast",
        "SumOfStationPassMarks",
        "AtLeast",
        "PassFail",
        "Sample",
        "ThirdMarker",
    ] {
        assert!(
            choices.iter().any(|c| c == expected),
            "reading src/rubric/file.rs did not find choice `{expected}`; found {choices:?}"
        );
    }

    let missing: Vec<String> = fields
        .iter()
        .chain(&choices)
        .filter(|name| !DOC.contains(&format!("`{name}`")))
        .cloned()
        .collect();
    assert!(
        missing.is_empty(),
        "{DOC_PATH} never mentions these names from src/rubric/file.rs in `backticks`: {missing:?}"
    );
}

#[test]
fn the_example_rubrics_are_valid() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rubrics");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("rubrics/ can be listed")
        .map(|e| e.expect("rubrics/ entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 3,
        "expected the three example rubrics, found {paths:?}"
    );
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("example rubric is readable");
        let checked = check_str(&path.display().to_string(), &text);
        assert!(
            checked.rubric.is_some() && checked.errors().count() == 0,
            "{} is not valid:{}",
            path.display(),
            listing(&checked, true)
        );
    }
}

#[test]
fn the_block_reader_sees_tags_and_fences() {
    let doc = "text\n```ron rubric\n(a)\n```\n```text\n(b)\n```\n````ron invalid x.y syntax\n```\n(c)\n````\n```ron\n(d)\n```\n";
    let blocks = ron_blocks(doc).expect("fences close");
    assert_eq!(blocks.len(), 3);
    assert_eq!(
        (blocks[0].line, blocks[0].words.clone()),
        (2, vec!["rubric".to_string()])
    );
    assert_eq!(blocks[0].text, "(a)\n");
    assert_eq!(blocks[1].words, ["invalid", "x.y", "syntax"]);
    assert_eq!(blocks[1].text, "```\n(c)\n");
    assert!(tag_of(&blocks[2]).is_err(), "a block with no tag is refused");
    assert!(
        tag_of(&Block {
            line: 1,
            words: vec!["rubrik".to_string()],
            text: String::new()
        })
        .is_err()
    );
    assert!(
        ron_blocks("```ron rubric\n(a)\n").is_err(),
        "an unclosed fence is refused"
    );
}
