//! The roster: reading, every validation error with its row and column, the
//! rotation (worked examples and a property test), and the format reference
//! `docs/roster-format.md`, which is checked against the code.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use osce::day::roster::*;
use osce::rubric::{Rubric, check_str, load};
use proptest::prelude::*;

const OSCE: &str = "rubrics/msk-ultrasound-osce.ron";
const PRACTICAL: &str = "rubrics/msk-practical-exam.ron";
const OSCE_ROSTER: &str = "rubrics/msk-ultrasound-osce.roster.csv";
const PRACTICAL_ROSTER: &str = "rubrics/msk-practical-exam.roster.csv";
const DOC: &str = include_str!("../docs/roster-format.md");

/// The OSCE's stations, in the rubric's order.
const STATIONS: [&str; 7] = [
    "shoulder",
    "knee",
    "ankle",
    "rest",
    "elbow",
    "physics",
    "professional",
];

fn rubric(path: &str) -> &'static Rubric {
    static RUBRICS: OnceLock<(Rubric, Rubric)> = OnceLock::new();
    let (osce, practical) = RUBRICS.get_or_init(|| {
        let load = |p: &str| load(Path::new(p)).unwrap_or_else(|_| panic!("{p} is valid")).0;
        (load(OSCE), load(PRACTICAL))
    });
    match path {
        OSCE => osce,
        PRACTICAL => practical,
        other => panic!("no rubric {other}"),
    }
}

fn osce() -> &'static Rubric {
    rubric(OSCE)
}

/// A roster that must be valid against the OSCE, with its warnings.
fn valid(text: &str) -> (Roster, Vec<RosterProblem>) {
    parse_roster(text, osce()).unwrap_or_else(|e| panic!("valid roster, but:\n{e}\n---\n{text}"))
}

/// The errors of a roster that must be refused, as shown.
fn errors(text: &str) -> Vec<String> {
    match parse_roster(text, osce()) {
        Ok(_) => panic!("accepted a bad roster:\n{text}"),
        Err(e) => e.problems.iter().map(ToString::to_string).collect(),
    }
}

fn ids<'r>(roster: &'r Roster, queue: &[QueueEntry]) -> Vec<&'r str> {
    queue
        .iter()
        .map(|e| roster.candidates[e.candidate].id.as_str())
        .collect()
}

/// A folder of its own under the target directory, for files the tests write.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("roster").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

// ---------------------------------------------------------------- happy paths

#[test]
fn the_osce_example_roster_is_valid() {
    let (roster, warnings) = read_roster(Path::new(OSCE_ROSTER), osce()).expect("valid");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(roster.candidates.len(), 14);
    assert_eq!(roster.circuits(), ["A", "B"]);
    for circuit in ["A", "B"] {
        let members: Vec<&Candidate> = roster
            .candidates
            .iter()
            .filter(|c| c.circuit.as_deref() == Some(circuit))
            .collect();
        assert_eq!(members.len(), 7);
        let starts: HashSet<&str> = members
            .iter()
            .filter_map(|c| c.start_station.as_deref())
            .collect();
        assert_eq!(
            starts,
            STATIONS.into_iter().collect(),
            "circuit {circuit} uses every station once"
        );
    }
    let c002 = roster.find("C002").expect("C002");
    assert_eq!(c002.name, "Siobhán Ní Bhriain");
    assert_eq!(c002.row, 3);
    assert_eq!(roster.find("C003").expect("C003").name, "Okafor, Chidinma");
    assert_eq!(roster.find("C005").expect("C005").name, "José Álvarez");
    let last = roster.find("C014").expect("C014");
    assert_eq!(
        (last.row, last.circuit.as_deref(), last.start_station.as_deref()),
        (15, Some("B"), Some("professional"))
    );
    // The rest station is a place in the rotation.
    assert_eq!(
        roster.find("C004").expect("C004").start_station.as_deref(),
        Some("rest")
    );
}

#[test]
fn the_practical_exam_example_roster_is_valid() {
    let (roster, warnings) = read_roster(Path::new(PRACTICAL_ROSTER), rubric(PRACTICAL)).expect("valid");
    assert_eq!(roster.candidates.len(), 6);
    assert!(roster.circuits().is_empty());
    assert!(
        roster
            .candidates
            .iter()
            .all(|c| c.circuit.is_none() && c.start_station.is_none())
    );
    // Six candidates for three stations: two waves, said once.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].to_string(),
        "6 candidates for 3 stations (rest stations included), so they go round in 2 waves, one after \
         the other (that is fine if it is meant: each wave starts when the one before has been round every \
         station; to run candidates at the same time, split them into circuits)"
    );
}

#[test]
fn find_ignores_capitals_and_index_of_matches() {
    let (roster, _) = valid("candidate_id,name\nC001,Anna\nx-2,Ben\n");
    assert_eq!(roster.find("c001").map(|c| c.name.as_str()), Some("Anna"));
    assert_eq!(roster.find("X-2").map(|c| c.name.as_str()), Some("Ben"));
    assert_eq!(roster.index_of("x-2"), Some(1));
    assert!(roster.find("C003").is_none());
}

#[test]
fn columns_in_any_order_and_case_with_spaces() {
    let (roster, _) = valid(" Start_Station ,NAME, candidate_ID ,Circuit\nknee,Anna Smith,C001,A\n");
    let c = &roster.candidates[0];
    assert_eq!(
        (
            c.id.as_str(),
            c.name.as_str(),
            c.circuit.as_deref(),
            c.start_station.as_deref()
        ),
        ("C001", "Anna Smith", Some("A"), Some("knee"))
    );
}

#[test]
fn byte_order_mark_crlf_quotes_and_non_ascii() {
    let text = "\u{feff}candidate_id,name\r\nC001,\"Okafor, Chidinma\"\r\nC002,Siobhán Ní Bhriain\r\n\
                C003,\"Margaret \"\"Peggy\"\" Evans\"\r\nC004,  Łukasz Wiśniewski  \r\n";
    let (roster, _) = valid(text);
    let names: Vec<&str> = roster.candidates.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Okafor, Chidinma",
            "Siobhán Ní Bhriain",
            "Margaret \"Peggy\" Evans",
            "Łukasz Wiśniewski"
        ]
    );
    assert_eq!(
        roster.candidates[0].id, "C001",
        "the BOM is not part of the first column's name"
    );
    let rows: Vec<usize> = roster.candidates.iter().map(|c| c.row).collect();
    assert_eq!(rows, [2, 3, 4, 5]);
}

#[test]
fn byte_order_mark_in_a_file() {
    let dir = scratch("bom");
    let path = dir.join("bom.csv");
    std::fs::write(
        &path,
        b"\xEF\xBB\xBFcandidate_id,name\r\nC001,Jos\xC3\xA9 \xC3\x81lvarez\r\n",
    )
    .expect("write");
    let (roster, _) = read_roster(&path, osce()).expect("valid");
    assert_eq!(roster.candidates[0].name, "José Álvarez");
}

#[test]
fn blank_and_comma_only_rows_are_ignored_but_counted() {
    // Rows as a spreadsheet numbers them: blank rows count, and a quoted cell
    // over two lines is one row.
    let text =
        "\ncandidate_id,name,circuit\n\nC001,Anna,A\n,,\n   \nC002,\"Ben\nSmith\",A\nC003,Cara,a\n\n\n";
    let errs = errors(text);
    assert_eq!(
        errs,
        [
            "row 7, name: the name runs over more than one line (a double quote on this row may be missing its \
             closing partner; a quote inside a quoted name is written twice, e.g. \"Margaret \"\"Peggy\"\" \
             Evans\")",
            "row 8, circuit: circuit \"a\" differs from \"A\" on row 4 only in capitals (write each circuit \
             the same way on every row)",
        ]
    );
    let (roster, _) = valid("candidate_id,name\n\n\nC001,Anna\n\r\n,\nC002,Ben\n\n\n\n");
    let rows: Vec<usize> = roster.candidates.iter().map(|c| c.row).collect();
    assert_eq!(rows, [4, 7]);
}

#[test]
fn whitespace_around_cells_is_trimmed() {
    let (roster, _) = valid("candidate_id , name , start_station\n  C001 ,\t Anna Smith\u{a0}, knee \n");
    let c = &roster.candidates[0];
    assert_eq!(
        (c.id.as_str(), c.name.as_str(), c.start_station.as_deref()),
        ("C001", "Anna Smith", Some("knee"))
    );
}

// ----------------------------------------------------------------- validation

/// One bad roster: its text, a problem it must report exactly as shown, and
/// the wording `docs/roster-format.md` quotes for it.
struct Case {
    text: &'static str,
    shown: &'static str,
    doc: &'static str,
}

const CASES: &[Case] = &[
    Case {
        text: "candidate_id,name,circuit_start\nC001,A,2026-06-03 09:00\n",
        shown: "row 2, circuit_start: \"2026-06-03 09:00\" is not a date and time with its offset from UTC",
        doc: "is not a date and time with its offset from UTC",
    },
    Case {
        text: "candidate_id,name,circuit,circuit_start\nC001,A,A,2026-06-03T09:00Z\nC002,B,A,2026-06-03T09:30Z\n",
        shown: "row 3, circuit_start: a circuit has one start, but row 2 gives \"2026-06-03T09:00Z\" and row 3 \
                gives \"2026-06-03T09:30Z\" of circuit \"A\"",
        doc: "a circuit has one start",
    },
    // As written (not turned into UTC), and a start that is not a time is
    // said on its own row only: not "gives none" as well.
    Case {
        text: "candidate_id,name,circuit,circuit_start\nC001,A,A,2026-06-03T09:00+01:00\nC002,B,A,banana\n\
               C003,C,A,2026-06-03T09:30+01:00\n",
        shown: "row 4, circuit_start: a circuit has one start, but row 2 gives \"2026-06-03T09:00+01:00\" and row 4 \
                gives \"2026-06-03T09:30+01:00\" of circuit \"A\"",
        doc: "a circuit has one start",
    },
    Case {
        text: "",
        shown: "the roster is empty (the first row names the columns, e.g. \
                candidate_id,name,circuit,start_station; then one row per candidate)",
        doc: "the roster is empty",
    },
    Case {
        text: "candidate_id,name\n",
        shown: "the roster has a header but no candidates (add one row per candidate below the header)",
        doc: "the roster has a header but no candidates",
    },
    Case {
        text: "candidate_id;name\nC001;Anna\n",
        shown: "row 1: the header is one cell, \"candidate_id;name\": the columns seem to be separated by \
                semicolons, not commas (save the file as CSV with commas, e.g. in Excel as \"CSV UTF-8 (Comma \
                delimited)\")",
        doc: "separated by semicolons, not commas",
    },
    Case {
        text: "C001,Anna Smith\nC002,Ben Jones\n",
        shown: "row 1: the first row is not a header: \"C001\", \"Anna Smith\" (add a first row naming the \
                columns, e.g. candidate_id,name,circuit,start_station; the columns a roster may have are \
                candidate_id, name, circuit, start_station and circuit_start)",
        doc: "the first row is not a header",
    },
    Case {
        text: "candiate_id,name\nC001,Anna\n",
        shown: "row 1, candiate_id: unknown column \"candiate_id\" in column A (did you mean \
                \"candidate_id\"? the columns a roster may have are candidate_id, name, circuit, start_station and \
                circuit_start; rename or delete it)",
        doc: "unknown column",
    },
    Case {
        text: "candidate_id,name,email\nC001,Anna,anna@example.org\n",
        shown: "row 1, email: unknown column \"email\" in column C (the columns a roster may have are \
                candidate_id, name, circuit, start_station and circuit_start; rename or delete it)",
        doc: "unknown column",
    },
    Case {
        text: "candidate_id,name,Name\nC001,Anna,Anna\n",
        shown: "row 1, name: the column appears twice, in columns B and C (keep one of them and \
                delete the other)",
        doc: "the column appears twice",
    },
    Case {
        text: "candidate_id,circuit\nC001,A\n",
        shown: "row 1: the header has no name column (every roster needs the columns candidate_id and name; \
                the columns a roster may have are candidate_id, name, circuit, start_station and circuit_start)",
        doc: "the header has no name column",
    },
    Case {
        text: "name,circuit\nAnna,A\n",
        shown: "row 1: the header has no candidate_id column (every roster needs the columns candidate_id and \
                name; the columns a roster may have are candidate_id, name, circuit, start_station and circuit_start)",
        doc: "the header has no candidate_id column",
    },
    Case {
        text: "candidate_id,name,\nC001,Anna,\nC002,Ben,notes\n",
        shown: "row 3: column C has something in it, but no name in the header (name the column in the \
                header (the columns a roster may have are candidate_id, name, circuit, start_station and circuit_start), or \
                delete it)",
        doc: "has something in it, but no name in the header",
    },
    Case {
        text: "candidate_id,name\nC001,Anna\nC002,Okafor, Chidinma\n",
        shown: "row 3: the row has 3 cells but the header has 2 columns (a cell with a comma in it must be in \
                double quotes, e.g. \"Smith, Anna\", with no space before the opening quote)",
        doc: "the row has 3 cells but the header has 2 columns",
    },
    Case {
        text: "candidate_id,name,circuit\nC001,Anna,A\nC002,Ben\n",
        shown: "row 3: the row has 2 cells but the header has 3 columns (add the missing cells; an empty cell \
                is nothing between two commas, e.g. C001,Anna Smith,)",
        doc: "but the header has",
    },
    // A quote left open: the count of cells is not the mistake (it said
    // "add the missing cells").
    Case {
        text: "candidate_id,name,circuit\nC001,Anna,A\nC002,\"Ben Evans,A\nC003,Cat,A\n",
        shown: "row 3: a double quote on this row is missing its closing partner, so its cell runs on over the \
                lines below (close the quote at the end of the cell, as in \"Smith, Anna\", or remove it; a quote \
                inside a quoted cell is written twice)",
        doc: "is missing its closing partner, so its cell runs on",
    },
    Case {
        text: "candidate_id,name\nC001\n",
        shown: "row 2: the row has 1 cell but the header has 2 columns (add the missing cells; an empty cell \
                is nothing between two commas, e.g. C001,Anna Smith)",
        doc: "but the header has",
    },
    Case {
        text: "candidate_id,name\nC001,Anna\n,Ben\n",
        shown: "row 3, candidate_id: the candidate id is empty (give every candidate an id, such as C001)",
        doc: "the candidate id is empty",
    },
    Case {
        text: "candidate_id,name\nC 001,Anna\n",
        shown: "row 2, candidate_id: the candidate id is not usable: \"C 001\" may only use letters, digits, \
                '-', '_' and '.' (not first) (it has a space: write '-' or '_' instead) (ids become folder names: use letters, digits, '-', '_' or '.', \
                such as C001, and put the person's name in the name column)",
        doc: "the candidate id is not usable",
    },
    Case {
        text: "candidate_id,name\n../etc,Anna\n",
        shown: "row 2, candidate_id: the candidate id is not usable",
        doc: "the candidate id is not usable",
    },
    Case {
        text: "candidate_id,name\nC001,Anna\nC002,Ben\nC001,Cara\n",
        shown: "row 4, candidate_id: candidate id \"C001\" is already used on row 2 (each candidate needs \
                their own id; correct one of the two rows, or delete it if it is the same person twice)",
        doc: "is already used on row",
    },
    Case {
        text: "candidate_id,name\nC001,Anna\nc001,Cara\n",
        shown: "row 3, candidate_id: candidate id \"c001\" differs from \"C001\" on row 2 only in capitals \
                (ids become folder names, and Windows and macOS treat these as the same folder; give each \
                candidate an id that differs in more than capitals)",
        doc: "only in capitals",
    },
    Case {
        text: "candidate_id,name\nC001,Anna\nC002,  \n",
        shown: "row 3, name: the name is empty (write the candidate's name as examiners should see it, to \
                confirm who is in front of them)",
        doc: "the name is empty",
    },
    Case {
        text: "candidate_id,name\nC001,\"Anna\nC002,Ben\n",
        shown: "row 2, name: the name runs over more than one line",
        doc: "the name runs over more than one line",
    },
    Case {
        text: "candidate_id,name\nC001,Anna\u{1b}[2J\n",
        shown: "row 2, name: the name contains an invisible control character (U+001B) (retype the name; it \
                is shown on the examiner's screen)",
        doc: "the name contains an invisible control character",
    },
    Case {
        text: "candidate_id,name,circuit\nC001,Anna,Circuit 1\n",
        shown: "row 2, circuit: the circuit is not usable: \"Circuit 1\" may only use letters, digits, '-', \
                '_' and '.' (not first) (it has a space: write '-' or '_' instead) (name circuits with letters, digits, '-', '_' or '.', such as A, B or \
                am-1)",
        doc: "the circuit is not usable",
    },
    Case {
        text: "candidate_id,name,circuit\nC001,Anna,A\nC002,Ben,\nC003,Cara,B\nC004,Dev,\n",
        shown: "row 3, circuit: no circuit on rows 3 and 5, but there is one on rows 2 and 4 (put every \
                candidate in a circuit, or leave the circuit column empty for everyone)",
        doc: "but there is one on",
    },
    Case {
        text: "candidate_id,name,circuit\nC001,Anna,A\nC002,Ben,a\nC003,Cara,a\n",
        shown: "row 3, circuit: circuit \"a\" differs from \"A\" on row 2 only in capitals (write each circuit \
                the same way on every row)",
        doc: "only in capitals",
    },
    Case {
        text: "candidate_id,name,start_station\nC001,Anna,shoulder\nC002,Ben,knee\nC003,Cara,ankle\n\
               C004,Dev,kne\n",
        shown: "row 5, start_station: there is no station \"kne\" (did you mean \"knee\"? start_station must \
                be a station id of the rubric: \"shoulder\", \"knee\", \"ankle\", \"rest\", \"elbow\", \
                \"physics\" or \"professional\")",
        doc: "there is no station",
    },
    Case {
        text: "candidate_id,name,start_station\nC001,Anna,Ankle and foot\n",
        shown: "row 2, start_station: there is no station \"Ankle and foot\" (did you mean \"ankle\"?",
        doc: "there is no station",
    },
    Case {
        text: "candidate_id,name,start_station\nC001,Anna,hip\n",
        shown: "row 2, start_station: there is no station \"hip\" (start_station must be a station id of the \
                rubric: \"shoulder\", \"knee\", \"ankle\", \"rest\", \"elbow\", \"physics\" or \"professional\")",
        doc: "there is no station",
    },
    Case {
        text: "candidate_id,name,circuit,start_station\nC001,Anna,A,shoulder\nC002,Ben,A,\nC003,Cara,B,\n\
               C004,Dev,A,knee\n",
        shown: "row 3, start_station: no start station on row 3, but other candidates in circuit \"A\" have \
                one (rows 2 and 5) (give every candidate in circuit \"A\" a start station, or leave \
                start_station empty for all of them to place them in the order of the rows)",
        doc: "no start station on",
    },
    Case {
        text: "candidate_id,name,start_station\nC001,Anna,\nC002,Ben,knee\n",
        shown: "row 2, start_station: no start station on row 2, but other candidates have one (row 3) (give \
                every candidate a start station, or leave start_station empty for all of them to place them \
                in the order of the rows)",
        doc: "no start station on",
    },
];

#[test]
fn every_validation_error_names_its_row_and_column() {
    for case in CASES {
        let errs = errors(case.text);
        assert!(
            errs.iter().any(|e| e.starts_with(case.shown)),
            "expected a problem starting\n  {}\nfor\n{}\nbut got\n  {}",
            case.shown,
            case.text,
            errs.join("\n  ")
        );
    }
}

#[test]
fn the_doc_quotes_every_error() {
    for case in CASES {
        assert!(
            DOC.contains(case.doc),
            "docs/roster-format.md does not quote {:?}",
            case.doc
        );
    }
    for quoted in [
        "the roster has more than 100000 candidates",
        "cannot read the roster",
        "no such roster file (did you mean",
        "is a folder, not a roster file",
        "is larger than 4 MiB, too large to be a roster",
        "is not UTF-8 text",
        "candidates for 7 stations (rest stations included), so they go round in 2 waves",
        "so they go round in wave 2, after wave 1 has finished, although nobody in wave 1 starts at",
    ] {
        assert!(
            DOC.contains(quoted),
            "docs/roster-format.md does not quote {quoted:?}"
        );
    }
    // The sample message in section 8, word for word.
    let kne =
        errors("candidate_id,name,start_station\nC001,A,shoulder\nC002,B,knee\nC003,C,ankle\nC004,D,kne\n");
    let line = format!("rosters/osce.csv: {}", kne[0]);
    assert!(DOC.contains(&line), "docs/roster-format.md should show\n{line}");
}

#[test]
fn all_problems_are_reported_at_once_in_row_order() {
    let text = "candidate_id,name,circuit,start_station,email\n\
                C001,Anna Smith,A,shoulder,a@example.org\n\
                C 002,Ben Jones,A,knee,\n\
                C003,,A,kne,\n\
                C001,\"Okafor, Chidinma\",A,ankle,\n\
                C005,Dev Patel,A,elbow\n\
                C006,Eve Brown,A,,\n";
    let errs = errors(text);
    let starts = [
        "row 1, email: unknown column \"email\" in column E (the columns a roster may have",
        "row 3, candidate_id: the candidate id is not usable",
        "row 4, name: the name is empty",
        "row 4, start_station: there is no station \"kne\" (did you mean \"knee\"?",
        "row 5, candidate_id: candidate id \"C001\" is already used on row 2",
        "row 6: the row has 4 cells but the header has 5 columns",
        "row 7, start_station: no start station on row 7, but other candidates in circuit \"A\" have one \
         (rows 2, 3, 4 and 5)",
    ];
    assert_eq!(errs.len(), starts.len(), "{}", errs.join("\n"));
    for (err, start) in errs.iter().zip(starts) {
        assert!(err.starts_with(start), "expected\n  {start}\ngot\n  {err}");
    }
}

#[test]
fn errors_have_row_and_column_as_fields_too() {
    let err = parse_roster("candidate_id,name,start_station\nC001,Anna,kne\n", osce()).expect_err("bad");
    let p = &err.problems[0];
    assert_eq!(p.row, Some(2));
    assert_eq!(p.column.as_deref(), Some("start_station"));
    assert_eq!(p.message, "there is no station \"kne\"");
    assert!(
        p.help
            .as_deref()
            .is_some_and(|h| h.starts_with("did you mean \"knee\"?"))
    );
}

#[test]
fn too_many_rows_are_refused() {
    let mut text = String::from("candidate_id,name\n");
    for i in 0..=MAX_CANDIDATES {
        text.push_str(&format!("C{i},N\n"));
    }
    assert_eq!(
        errors(&text),
        [
            "the roster has more than 100000 candidates (no exam has that many; check you named the right file)"
        ]
    );
    // Exactly the limit is fine (and slow only in a debug build).
    let at_limit: String = text
        .lines()
        .take(MAX_CANDIDATES + 1)
        .map(|l| format!("{l}\n"))
        .collect();
    let (roster, _) = parse_roster(&at_limit, rubric(PRACTICAL)).expect("at the limit");
    assert_eq!(roster.candidates.len(), MAX_CANDIDATES);
}

// ------------------------------------------------------------------- the file

#[test]
fn file_problems_are_io_errors_that_name_the_file() {
    let dir = scratch("io");
    let missing = dir.join("missing.csv");
    let err = read_roster(&missing, osce()).expect_err("missing");
    assert!(err.is_io());
    assert_eq!(
        err.to_string(),
        format!("{}: no such roster file", missing.display())
    );
    // A roster beside it (named a roster, or a typo away) is offered.
    std::fs::write(dir.join("osce.roster.csv"), "candidate_id\nC001\n").expect("write");
    let err = read_roster(&dir.join("roster.csv"), osce()).expect_err("missing");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: no such roster file (did you mean {}? It is beside it)",
            dir.join("roster.csv").display(),
            dir.join("osce.roster.csv").display()
        )
    );

    let err = read_roster(&dir, osce()).expect_err("folder");
    assert!(err.is_io());
    assert_eq!(
        err.to_string(),
        format!("{}: is a folder, not a roster file", dir.display())
    );

    let big = dir.join("big.csv");
    std::fs::write(&big, vec![b'a'; MAX_ROSTER_BYTES as usize + 1]).expect("write");
    let err = read_roster(&big, osce()).expect_err("too large");
    assert!(err.is_io());
    assert!(
        err.to_string()
            .starts_with(&format!("{}: is larger than 4 MiB", big.display())),
        "{err}"
    );

    // Excel's plain "CSV" saves é as the single byte E9 (Windows-1252).
    let latin1 = dir.join("latin1.csv");
    std::fs::write(&latin1, b"candidate_id,name\nC001,Jos\xE9 \xC1lvarez\n").expect("write");
    let err = read_roster(&latin1, osce()).expect_err("not UTF-8");
    assert!(err.is_io());
    assert!(
        matches!(
            err,
            RosterError::NotText {
                line: 2,
                column: 9,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with(&format!("{}:2:9: is not UTF-8 text", latin1.display())),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("the byte 0xE9 is how Windows-1252 or Latin-1 writes `é`"),
        "{err}"
    );

    // UTF-16, with and without a byte-order mark.
    let utf16: Vec<u8> = "candidate_id,name\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    for (name, bytes) in [
        ("bom", [&[0xFF, 0xFE][..], &utf16].concat()),
        ("nobom", utf16.clone()),
    ] {
        let path = dir.join(format!("utf16-{name}.csv"));
        std::fs::write(&path, bytes).expect("write");
        let err = read_roster(&path, osce()).expect_err("UTF-16");
        assert!(
            matches!(err, RosterError::NotText { line: 1, .. }),
            "{name}: {err:?}"
        );
        assert!(err.to_string().contains("UTF-16"), "{name}: {err}");
    }
}

#[test]
fn content_problems_are_not_io_errors_and_name_the_file_on_every_line() {
    let dir = scratch("invalid");
    let path = dir.join("bad.csv");
    std::fs::write(&path, "candidate_id,name\n,Anna\nC002,\n").expect("write");
    let err = read_roster(&path, osce()).expect_err("invalid");
    assert!(!err.is_io());
    let shown = err.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 2, "{shown}");
    for (line, start) in lines.iter().zip(["row 2, candidate_id:", "row 3, name:"]) {
        assert!(
            line.starts_with(&format!("{}: {start}", path.display())),
            "{line}"
        );
    }
}

// ------------------------------------------------------------------- rotation

/// Seven candidates starting at stations 1..7 of the OSCE, in one circuit.
fn seven() -> Roster {
    let mut text = String::from("candidate_id,name,start_station\n");
    for (i, station) in STATIONS.iter().enumerate() {
        text.push_str(&format!("C00{},Candidate {},{station}\n", i + 1, i + 1));
    }
    let (roster, warnings) = valid(&text);
    assert!(warnings.is_empty(), "{warnings:?}");
    roster
}

#[test]
fn arrival_order_at_the_third_station() {
    // Station 3 (ankle): first whoever starts there, then whoever starts one
    // station before it, and so on backwards round the circuit.
    let roster = seven();
    let queue = station_queue(&roster, osce(), "ankle", None);
    assert_eq!(
        ids(&roster, &queue),
        ["C003", "C002", "C001", "C007", "C006", "C005", "C004"]
    );
    let rounds: Vec<usize> = queue.iter().map(|e| e.round).collect();
    assert_eq!(rounds, [0, 1, 2, 3, 4, 5, 6]);
    assert!(queue.iter().all(|e| e.wave == 0));
    // And at the first and last stations.
    let at = |s| ids(&roster, &station_queue(&roster, osce(), s, None)).join(" ");
    assert_eq!(at("shoulder"), "C001 C007 C006 C005 C004 C003 C002");
    assert_eq!(at("professional"), "C007 C006 C005 C004 C003 C002 C001");
    assert_eq!(at("rest"), "C004 C003 C002 C001 C007 C006 C005");
}

#[test]
fn a_route_starts_at_the_start_station_and_wraps_round() {
    let roster = seven();
    let route = |i: usize| -> Vec<&str> {
        candidate_route(&roster, osce(), i)
            .iter()
            .map(|s| s.id.as_str())
            .collect()
    };
    assert_eq!(
        route(2),
        [
            "ankle",
            "rest",
            "elbow",
            "physics",
            "professional",
            "shoulder",
            "knee"
        ]
    );
    assert_eq!(route(0), STATIONS);
    assert_eq!(
        route(6),
        [
            "professional",
            "shoulder",
            "knee",
            "ankle",
            "rest",
            "elbow",
            "physics"
        ]
    );
    assert!(route(7).is_empty(), "out of range");
}

#[test]
fn without_start_stations_candidates_take_the_stations_in_row_order() {
    let mut text = String::from("candidate_id,name\n");
    for i in 1..=7 {
        text.push_str(&format!("C00{i},Candidate {i}\n"));
    }
    let (auto, _) = valid(&text);
    let given = seven();
    for station in STATIONS {
        assert_eq!(
            station_queue(&auto, osce(), station, None),
            station_queue(&given, osce(), station, None),
            "{station}"
        );
    }
    assert_eq!(placements(&auto, osce()), placements(&given, osce()));
}

#[test]
fn more_candidates_than_stations_go_round_in_waves() {
    let mut text = String::from("candidate_id,name\n");
    for i in 1..=9 {
        text.push_str(&format!("C00{i},Candidate {i}\n"));
    }
    let (roster, warnings) = valid(&text);
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].to_string().starts_with("9 candidates for 7 stations"),
        "{}",
        warnings[0]
    );
    let p = placements(&roster, osce());
    assert_eq!(p[7], Placement { slot: 0, wave: 1 });
    assert_eq!(p[8], Placement { slot: 1, wave: 1 });
    let queue = station_queue(&roster, osce(), "shoulder", None);
    assert_eq!(
        ids(&roster, &queue),
        [
            "C001", "C007", "C006", "C005", "C004", "C003", "C002", "C008", "C009"
        ]
    );
    let tail: Vec<(usize, usize)> = queue[7..].iter().map(|e| (e.wave, e.round)).collect();
    assert_eq!(tail, [(1, 0), (1, 6)]);
}

#[test]
fn a_shared_start_station_means_a_second_wave_and_a_warning_when_a_station_was_free() {
    let text = "candidate_id,name,start_station\nC001,Anna,shoulder\nC002,Ben,knee\nC003,Cara,knee\n";
    let (roster, warnings) = valid(text);
    assert_eq!(
        placements(&roster, osce()),
        [
            Placement { slot: 0, wave: 0 },
            Placement { slot: 1, wave: 0 },
            Placement { slot: 1, wave: 1 }
        ]
    );
    assert_eq!(
        warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "row 4, start_station: candidate C003 starts at \"knee\" like the candidate on row 3, so they go \
          round in wave 2, after wave 1 has finished, although nobody in wave 1 starts at \"ankle\" (if that \
          is not meant, give them a start station nobody else has)"
        ]
    );
    let queue = station_queue(&roster, osce(), "knee", None);
    assert_eq!(ids(&roster, &queue), ["C002", "C001", "C003"]);
    // Eight candidates on seven stations: the shared one is unavoidable, so
    // only the count is reported.
    let mut text = String::from("candidate_id,name,circuit,start_station\n");
    for (i, station) in STATIONS.iter().chain(&["knee"]).enumerate() {
        text.push_str(&format!("C00{},Candidate {},A,{station}\n", i + 1, i + 1));
    }
    let (_, warnings) = valid(&text);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .to_string()
            .starts_with("circuit \"A\" has 8 candidates for 7 stations"),
        "{}",
        warnings[0]
    );
}

#[test]
fn the_circuit_filter_keeps_one_circuit() {
    let (roster, _) = read_roster(Path::new(OSCE_ROSTER), osce()).expect("valid");
    let knee_b = station_queue(&roster, osce(), "knee", Some("B"));
    assert_eq!(
        ids(&roster, &knee_b),
        ["C009", "C008", "C014", "C013", "C012", "C011", "C010"]
    );
    let knee_a = station_queue(&roster, osce(), "knee", Some("A"));
    assert_eq!(
        ids(&roster, &knee_a),
        ["C002", "C001", "C007", "C006", "C005", "C004", "C003"]
    );
    // Both circuits together: round by round, circuit A's row first.
    let knee_all = station_queue(&roster, osce(), "knee", None);
    assert_eq!(ids(&roster, &knee_all)[..4], ["C002", "C009", "C001", "C008"]);
    assert!(station_queue(&roster, osce(), "knee", Some("C")).is_empty());
    assert!(
        station_queue(&roster, osce(), "hip", Some("A")).is_empty(),
        "no such station"
    );
}

#[test]
fn waves_are_counted_per_circuit() {
    // Automatic placement restarts at the first station in each circuit.
    let text = "candidate_id,name,circuit\nC001,Anna,A\nC002,Ben,B\nC003,Cara,A\nC004,Dev,B\n";
    let (roster, warnings) = valid(text);
    assert!(warnings.is_empty());
    assert_eq!(
        placements(&roster, osce()),
        [
            Placement { slot: 0, wave: 0 },
            Placement { slot: 0, wave: 0 },
            Placement { slot: 1, wave: 0 },
            Placement { slot: 1, wave: 0 },
        ]
    );
}

// ----------------------------------------------------------------------- docs

/// The first ```csv block after the heading "A complete example".
fn doc_example() -> String {
    let after = &DOC[DOC.find("## 1. A complete example").expect("section 1")..];
    let start = after.find("```csv\n").expect("a ```csv block") + "```csv\n".len();
    let end = start + after[start..].find("```").expect("end of block");
    after[start..end].to_string()
}

#[test]
fn the_doc_example_is_the_example_roster_and_is_valid() {
    let file = std::fs::read_to_string(OSCE_ROSTER).expect("example roster");
    let example = doc_example();
    assert_eq!(
        example, file,
        "docs/roster-format.md's example differs from {OSCE_ROSTER}"
    );
    let (roster, warnings) = valid(&example);
    assert_eq!(roster.candidates.len(), 14);
    assert!(warnings.is_empty());
}

#[test]
fn the_doc_rotation_table_is_what_the_program_computes() {
    let marker = "<!-- rotation table: circuit A of the example -->";
    let after = &DOC[DOC.find(marker).expect("rotation table marker") + marker.len()..];
    let rows: Vec<Vec<&str>> = after
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    assert_eq!(
        rows[0][1..],
        STATIONS,
        "the table's columns are the stations in order"
    );
    let (roster, _) = valid(&doc_example());
    let body = &rows[2..];
    assert_eq!(body.len(), STATIONS.len());
    for (j, station) in STATIONS.iter().enumerate() {
        let queue = station_queue(&roster, osce(), station, Some("A"));
        for entry in queue {
            let row = &body[entry.round];
            assert_eq!(row[0], (entry.round + 1).to_string());
            assert_eq!(
                row[j + 1],
                roster.candidates[entry.candidate].id,
                "round {} at {station}",
                entry.round + 1
            );
        }
    }
}

#[test]
fn the_doc_example_without_start_stations_rotates_the_same() {
    // Section 5: leaving start_station out places candidates in row order,
    // which for the example is the same as what it says.
    let without: String = doc_example()
        .lines()
        .map(|l| format!("{}\n", l.rsplit_once(',').expect("four columns").0))
        .collect();
    assert!(without.starts_with("candidate_id,name,circuit\n"));
    let (given, _) = valid(&doc_example());
    let (auto, _) = valid(&without);
    assert!(auto.candidates.iter().all(|c| c.start_station.is_none()));
    assert_eq!(placements(&auto, osce()), placements(&given, osce()));
}

// ------------------------------------------------------------------ property

/// A valid rubric of `n` stations, one of them (if `rest`, and not the
/// only one) a rest station.
fn rubric_with(n: usize, rest: Option<usize>) -> Rubric {
    let rest = rest.filter(|_| n > 1);
    let stations: Vec<String> = (0..n)
        .map(|i| {
            if rest == Some(i) {
                format!("(id: \"s{i}\", title: \"Rest\", rest: true)")
            } else {
                format!(
                    "(id: \"s{i}\", title: \"Station {i}\", items: [(id: \"a\", text: \"A\", scale: \"done\")], \
                     pass_mark: Marks(1))"
                )
            }
        })
        .collect();
    let source = format!(
        "(id: \"p\", title: \"P\", kind: PracticalExam, version: \"1\", \
         scales: [(id: \"done\", levels: Named([(label: \"No\", mark: 0), (label: \"Yes\", mark: 1)]))], \
         stations: [{}], pass_rules: [StationsPassed(All)])",
        stations.join(", ")
    );
    let checked = check_str("generated", &source);
    checked
        .rubric
        .unwrap_or_else(|| panic!("generated rubric is valid: {:?}", checked.diagnostics))
}

#[test]
fn the_generated_rubric_is_valid() {
    assert_eq!(rubric_with(4, Some(2)).stations.len(), 4);
}

/// Up to three circuits, each with distinct start slots among `n` stations.
fn circuits() -> impl Strategy<Value = (usize, Option<usize>, Vec<Vec<usize>>)> {
    (1usize..=10).prop_flat_map(|n| {
        let circuit = Just((0..n).collect::<Vec<usize>>())
            .prop_shuffle()
            .prop_flat_map(move |slots| (0..=n).prop_map(move |k| slots[..k].to_vec()));
        (
            Just(n),
            prop::option::of(0..n),
            prop::collection::vec(circuit, 1..=3),
        )
    })
}

proptest! {
    #[test]
    fn every_candidate_meets_every_station_once_and_no_two_meet(
        (n, rest, slots) in circuits(),
        interleave in any::<bool>(),
    ) {
        let rubric = rubric_with(n, rest);
        let mut rows: Vec<(usize, usize)> = slots
            .iter()
            .enumerate()
            .flat_map(|(c, s)| s.iter().map(move |&slot| (c, slot)))
            .collect();
        if interleave {
            rows.sort_by_key(|&(c, slot)| (slot, c));
        }
        let mut text = String::from("candidate_id,name,circuit,start_station\n");
        for (i, (c, slot)) in rows.iter().enumerate() {
            text.push_str(&format!("id{i},Name {i},c{c},s{slot}\n"));
        }
        if rows.is_empty() {
            return Ok(());
        }
        let (roster, warnings) = parse_roster(&text, &rubric).expect("valid");
        prop_assert!(warnings.is_empty(), "{:?}", warnings);
        for c in 0..slots.len() {
            let circuit = format!("c{c}");
            let members: HashSet<usize> = (0..roster.candidates.len())
                .filter(|&i| roster.candidates[i].circuit.as_deref() == Some(circuit.as_str()))
                .collect();
            // (candidate, round) and (station, round) pairs seen.
            let mut busy: HashSet<(usize, usize)> = HashSet::new();
            let mut occupied: HashSet<(usize, usize)> = HashSet::new();
            for (j, station) in rubric.stations.iter().enumerate() {
                let queue = station_queue(&roster, &rubric, &station.id, Some(&circuit));
                let seen: Vec<usize> = queue.iter().map(|e| e.candidate).collect();
                let unique: HashSet<usize> = seen.iter().copied().collect();
                prop_assert_eq!(seen.len(), members.len(), "each candidate once at {}", &station.id);
                prop_assert_eq!(&unique, &members);
                for e in &queue {
                    prop_assert_eq!(e.wave, 0);
                    prop_assert!(e.round < n);
                    prop_assert!(busy.insert((e.candidate, e.round)), "a candidate at two stations in one round");
                    prop_assert!(occupied.insert((j, e.round)), "two candidates at {} in one round", &station.id);
                    let route = candidate_route(&roster, &rubric, e.candidate);
                    prop_assert_eq!(&route[e.round].id, &station.id, "route and queue agree");
                }
                let order: Vec<(usize, usize)> = queue.iter().map(|e| (e.wave, e.round)).collect();
                prop_assert!(order.windows(2).all(|w| w[0] < w[1]), "sorted by round");
            }
        }
    }
}

#[test]
fn a_circuit_start_is_read_with_its_offset_and_kept_per_circuit() {
    let (roster, _) = valid(
        "candidate_id,name,circuit,circuit_start\n\
         C001,A,am,2026-06-03T09:00+01:00\n\
         C002,B,am,2026-06-03 09:00+01:00\n\
         C003,C,pm,2026-06-03T13:30Z\n",
    );
    let at = |c: &str| roster.circuit_start(Some(c)).map(|t| t.to_rfc3339());
    assert_eq!(at("am").as_deref(), Some("2026-06-03T08:00:00+00:00"));
    assert_eq!(at("pm").as_deref(), Some("2026-06-03T13:30:00+00:00"));
    let (none, _) = valid("candidate_id,name\nC001,A\n");
    assert_eq!(none.circuit_start(None), None);
}

#[test]
fn the_doc_circuit_start_example_is_valid_and_gives_each_circuit_its_start() {
    let after = DOC
        .split("<!-- circuit start example -->")
        .nth(1)
        .expect("the example");
    let start = after.find("```csv\n").expect("a ```csv block") + "```csv\n".len();
    let end = start + after[start..].find("```").expect("end of block");
    let (roster, _) = valid(&after[start..end]);
    let at = |c: &str| roster.circuit_start(Some(c)).map(|t| t.to_rfc3339());
    assert_eq!(at("A").as_deref(), Some("2026-06-03T08:00:00+00:00"));
    assert_eq!(at("B").as_deref(), Some("2026-06-03T12:30:00+00:00"));
}

/// Ids may hold letters beyond ASCII: composed (NFC) as they are read, so
/// `ë` typed as `e` and an accent is the same candidate, and two ids that
/// differ only in capitals are one folder on Windows and macOS.
#[test]
fn candidate_ids_beyond_ascii_are_composed_and_still_safe() {
    let text = "candidate_id,name\nZoe\u{308}-01,Zoë Adeyemi\nŁukasz1,Łukasz Wiśniewski\n";
    let (roster, _) = valid(text);
    let ids: Vec<&str> = roster.candidates.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["Zoë-01", "Łukasz1"]);
    assert_eq!(roster.index_of("zoë-01"), Some(0));
    assert_eq!(roster.index_of("ŁUKASZ1"), Some(1));
    let capitals = errors("candidate_id,name\nZoë-01,Zoë\nZOË-01,Zoe\n");
    assert!(
        capitals.iter().any(|e| e.contains("only in capitals")),
        "{capitals:?}"
    );
    for bad in ["Zoë 01", "Zoë/01", ".Zoë", "Zo\u{7}ë"] {
        let problems = errors(&format!("candidate_id,name\n\"{bad}\",X\n"));
        assert!(
            problems.iter().any(|e| e.contains("not usable")),
            "{bad:?}: {problems:?}"
        );
    }
}
