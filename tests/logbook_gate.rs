//! The rubric's logbook gate, validated case by case: each mistake is an
//! error at its path with a message that says what is wrong, and the valid
//! gates read into the model as written.

use osce::rubric::{Audited, Severity, check_str};

/// A small final clinical assessment with a `logbook` component (made
/// with `component_kind`) and the gate `gate` (the inside of `logbook:
/// (...)`); `components: false` leaves the components out.
fn rubric(gate: &str, component_kind: &str, components: bool) -> String {
    let components = if components {
        format!(
            r#"components: (parts: [
        (id: "cases", title: "Cases", kind: PassFail, stations: ["case-1"]),
        (id: "logbook", title: "Logbook", kind: {component_kind}),
    ]),"#
        )
    } else {
        String::new()
    };
    let rule = if components.is_empty() { "" } else { ", Components" };
    format!(
        r#"(
    id: "fca", title: "FCA", kind: FinalClinicalAssessment, version: "1",
    scales: [(id: "e", levels: Named([(label: "Not yet", mark: 0), (label: "Competent", mark: 1)]))],
    stations: [(id: "case-1", title: "Case 1", items: [(id: "scan", text: "Scan", scale: "e")],
        global_rating: (scale: "e"), pass_mark: GlobalRatingAtLeast("Competent"))],
    {components}
    logbook: ({gate}),
    pass_rules: [StationsPassed(All){rule}],
    moderation: (mode: All),
)"#
    )
}

/// The errors of a gate, as (path, message).
fn errors(text: &str) -> Vec<(String, String)> {
    let checked = check_str("gate.ron", text);
    checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.path.clone().unwrap_or_default(), d.message.clone()))
        .collect()
}

const BASE: &str = r#"component: "logbook", entry: "scan", total: 250"#;

#[test]
fn each_mistake_is_an_error_at_its_path() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (gate, component kind, expected path, message fragment)
        (
            r#"component: "logbok", total: 10"#,
            "PassFail",
            "logbook.component",
            "there is no component \"logbok\"",
        ),
        (
            BASE,
            "Weighted(100)",
            "logbook.component",
            "is weighted, but a logbook gate gives a pass or a fail",
        ),
        (
            &format!("{BASE}, assisted: 0"),
            "PassFail",
            "logbook.assisted",
            "the least number of assisted scans is 0; a minimum must be at least 1",
        ),
        (
            &format!("{BASE}, unassisted: -1"),
            "PassFail",
            "logbook.unassisted",
            "the least number of unassisted scans is -1",
        ),
        (
            &format!("{BASE}, audited: Count(0)"),
            "PassFail",
            "logbook.audited",
            "the least number of audited scans is 0",
        ),
        (
            &format!("{BASE}, audited: Percent(0)"),
            "PassFail",
            "logbook.audited",
            "0% is not above 0% and at most 100%",
        ),
        (
            &format!("{BASE}, audited: Percent(101)"),
            "PassFail",
            "logbook.audited",
            "101% is not above 0% and at most 100%",
        ),
        (
            r#"component: "logbook", total: 100001"#,
            "PassFail",
            "logbook.total",
            "more than the 100000 a gate may ask for",
        ),
        (
            r#"component: "logbook", entry: " ", total: 5"#,
            "PassFail",
            "logbook.entry",
            "`entry` is empty",
        ),
        (
            &format!("{BASE}, regions: []"),
            "PassFail",
            "logbook.regions",
            "`regions` is given but lists none",
        ),
        (
            &format!(r#"{BASE}, regions: ["knee", "Knee"]"#),
            "PassFail",
            "logbook.regions[1]",
            "region \"Knee\" is listed twice (first at logbook.regions[0])",
        ),
        (
            &format!(r#"{BASE}, regions: ["knee", ""]"#),
            "PassFail",
            "logbook.regions[1]",
            "a region is empty",
        ),
        (
            &format!(r#"{BASE}, regions: ["knee, wrist"]"#),
            "PassFail",
            "logbook.regions[0]",
            "has a comma",
        ),
        (
            &format!(r#"{BASE}, region_minimum: {{"knee": 5}}"#),
            "PassFail",
            "logbook.region_minimum[0]",
            "a minimum is given for region \"knee\", but the gate lists no `regions`",
        ),
        (
            &format!(r#"{BASE}, regions: ["knee"], region_minimum: {{"knee": 0}}"#),
            "PassFail",
            "logbook.region_minimum[0]",
            "the least number of scans in region \"knee\" is 0",
        ),
        (
            &format!(r#"{BASE}, regions: ["knee"], region_minimum: {{"knee": 2, "KNEE": 3}}"#),
            "PassFail",
            "logbook.region_minimum[1]",
            "the minimum for region \"KNEE\" is given twice",
        ),
        (
            &format!("{BASE}, audited_per_region: 1"),
            "PassFail",
            "logbook.audited_per_region",
            "the gate lists no `regions`",
        ),
        (
            &format!(r#"{BASE}, to: "2026-02-30""#),
            "PassFail",
            "logbook.to",
            "\"2026-02-30\" is written YYYY-MM-DD, but there is no such day: February 2026 has 28 days",
        ),
        (
            &format!(r#"{BASE}, from: "2026-09-01", to: "2026-08-31""#),
            "PassFail",
            "logbook.to",
            "the window ends on 2026-08-31, before it starts on 2026-09-01",
        ),
    ];
    let mut failures = Vec::new();
    for (gate, kind, path, fragment) in cases {
        let found = errors(&rubric(gate, kind, true));
        if !found.iter().any(|(p, m)| p == path && m.contains(fragment)) {
            failures.push(format!(
                "gate ({gate}) with component kind {kind}: expected an error at {path} containing {fragment:?}, found {found:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_gate_needs_components_and_a_component_of_its_own() {
    let found = errors(&rubric(BASE, "PassFail", false));
    assert!(
        found
            .iter()
            .any(|(p, m)| p == "logbook.component" && m.contains("the rubric has no `components`")),
        "{found:?}"
    );
    // The cases component is made of stations: not a logbook's.
    let found = errors(&rubric(r#"component: "cases", total: 10"#, "PassFail", true));
    assert!(
        found
            .iter()
            .any(|(p, m)| p == "logbook.component" && m.contains("is made of stations")),
        "{found:?}"
    );
}

#[test]
fn a_valid_gate_reads_as_written() {
    let text = rubric(
        r#"component: "logbook", entry: "injection", total: 35, assisted: 10, unassisted: 40,
           audited: Percent(50), regions: ["Shoulder", "knee"], region_minimum: {"SHOULDER": 5},
           audited_per_region: 1, from: "2025-09-01", to: "2026-08-31", mentor_required: true"#,
        "PassFail",
        true,
    );
    let checked = check_str("gate.ron", &text);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let gate = checked.rubric.and_then(|r| r.logbook).expect("a gate");
    assert_eq!(
        (gate.entry.as_str(), gate.entries.as_str()),
        ("injection", "injections")
    );
    // Per-kind minima may add up to more than the total.
    assert_eq!(
        (gate.total, gate.assisted, gate.unassisted),
        (35, Some(10), Some(40))
    );
    assert_eq!(gate.audited, Some(Audited::Percent(50.0)));
    assert_eq!(gate.regions, ["shoulder", "knee"]);
    assert_eq!(gate.region_minimum, [("shoulder".to_string(), 5)]);
    assert_eq!(gate.audited_per_region, Some(1));
    assert_eq!(gate.from.map(|d| d.to_string()).as_deref(), Some("2025-09-01"));
    assert_eq!(gate.to.map(|d| d.to_string()).as_deref(), Some("2026-08-31"));
    assert!(gate.mentor_required);
    assert_eq!(
        gate.summary(),
        "at least 35 injections, 10 assisted, 40 unassisted, 50% of assisted injections audited, 5 shoulder \
         injections, 1 audited injection in each region, every injection signed off by a mentor, dated 2025-09-01 \
         to 2026-08-31"
    );

    // Without `entry`: "entry" and "entries".
    let checked = check_str(
        "gate.ron",
        &rubric(r#"component: "logbook", total: 3"#, "PassFail", true),
    );
    let gate = checked.rubric.and_then(|r| r.logbook).expect("a gate");
    assert_eq!((gate.entry.as_str(), gate.entries.as_str()), ("entry", "entries"));
    assert_eq!(gate.summary(), "at least 3 entries");
}
