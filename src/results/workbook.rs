//! The export as one Excel workbook, for those who live in Excel: a sheet
//! per CSV file, with the same cells, numbers as numbers, the header row
//! frozen and bold; but items.csv, a row per item marked (a million rows
//! in a large exam, past what Excel opens at ease), becomes a sheet per
//! station, a row per sheet and a column per item. The CSV files stay as
//! they are, for machines.
//!
//! The workbook is made from the CSV files as they are written: each
//! piece written into a file is read back into the workbook, so it can
//! never say anything the CSV files do not. Export writes it on a thread
//! of its own while the next candidates' rows are made. Sheets are
//! written in the workbook library's constant-memory mode: a million rows
//! take no more memory than a hundred.

use std::collections::HashMap;

use rust_xlsxwriter::{Format, Note, Workbook, Worksheet, XlsxError};

use crate::results::export::Kind;
use crate::rubric::Rubric;

/// The workbook's file name in the export folder.
pub const WORKBOOK: &str = "export.xlsx";

/// The CSV file whose rows become a sheet per station.
const ITEMS: &str = "items.csv";

/// The most rows a worksheet can hold (Excel's limit), the header's
/// included.
const MAX_ROWS: usize = 1_048_576;

/// The longest name Excel gives a sheet.
const MAX_SHEET_NAME: usize = 31;

/// The columns of a station's items sheet before its items.
const GRID_KEYS: [&str; 3] = ["candidate_id", "examiner", "device"];

/// What went wrong making the workbook.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("the rows written to {file} cannot be read back for the workbook: {message}")]
    Csv { file: String, message: String },
    #[error("the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// A station's items, as its sheet of the workbook lays them out: a
/// column per item, in the rubric's order, then the global rating where
/// the station has one.
#[derive(Debug, Clone)]
pub struct Grid {
    pub station: String,
    /// Each column's item: (id, its note: the item's text and maximum).
    pub items: Vec<(String, String)>,
    /// The global rating's numeric code by level (its scale's marks), for
    /// the `global_rating_code` column: empty where the station has no
    /// global rating.
    pub rating_codes: Vec<f64>,
}

/// The column beside the global rating that gives its numeric code.
const RATING_CODE: &str = "global_rating_code";

/// The item sheets of `rubric`'s export: one per station scored.
pub fn item_grids(rubric: &Rubric) -> Vec<Grid> {
    rubric
        .scored_stations()
        .map(|station| {
            // The note says what the column's figures are out of.
            let mut items: Vec<(String, String)> = station
                .items
                .iter()
                .map(|i| {
                    let max = crate::scoring::fmt_marks(rubric.item_max(i));
                    (i.id.clone(), format!("{} (out of {max})", i.text))
                })
                .collect();
            // The global rating's label, then its numeric code (what
            // standard setting uses, and a spreadsheet can average).
            let mut rating_codes = Vec::new();
            if let Some(g) = &station.global_rating {
                items.push((
                    crate::store::Unmarked::GLOBAL_RATING.to_string(),
                    "Global rating (not added to the score)".to_string(),
                ));
                items.push((
                    RATING_CODE.to_string(),
                    "The global rating's numeric code, as standard setting uses it".to_string(),
                ));
                rating_codes = rubric.scale(g.scale).levels.iter().map(|l| l.mark).collect();
            }
            Grid {
                station: station.id.clone(),
                items,
                rating_codes,
            }
        })
        .collect()
}

/// One sheet of the workbook as it is made.
struct Sheet {
    /// The worksheet's index in the workbook.
    index: usize,
    /// The sheet's name, for a message.
    name: String,
    /// Rows written so far, the header's included.
    rows: usize,
    /// Cut short at Excel's row limit.
    cut: bool,
}

/// A CSV file made into a sheet of its own, cell for cell.
struct Copied {
    file: String,
    kinds: Vec<Kind>,
    sheet: Sheet,
}

/// A cell of a station's items sheet.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Number(f64),
    Text(String),
}

/// A station's items sheet as it is made.
struct GridSheet {
    sheet: Sheet,
    /// Each item's column, by id.
    columns: HashMap<String, u16>,
    width: usize,
    /// The global rating's code by level.
    rating_codes: Vec<f64>,
}

/// The columns of items.csv the item sheets read, by position.
struct ItemColumns {
    candidate: usize,
    station: usize,
    item: usize,
    level: usize,
    level_index: usize,
    marks: usize,
    examiner: usize,
    device: usize,
}

/// The row of a station's items sheet being gathered from items.csv's
/// rows, one per item of one examiner's sheet (they come together).
struct Pending {
    grid: usize,
    /// Candidate, examiner, device.
    key: [String; 3],
    cells: Vec<Cell>,
}

/// items.csv made into a sheet per station.
struct Pivot {
    file: String,
    columns: Option<ItemColumns>,
    grids: Vec<GridSheet>,
    by_station: HashMap<String, usize>,
    pending: Option<Pending>,
}

/// The workbook as it is made: a sheet per CSV file, but for items.csv,
/// a sheet per station.
pub struct Builder {
    workbook: Workbook,
    /// By the CSV file's position in `new`'s list; `None` for items.csv.
    copied: Vec<Option<Copied>>,
    /// items.csv's rows, by its position in `new`'s list.
    pivot: Option<(usize, Pivot)>,
    bold: Format,
    /// The most rows a sheet takes: Excel's limit.
    limit: usize,
}

impl Builder {
    /// A workbook of a sheet per `(CSV file name, kind of each column)`,
    /// in order, each named for its file without `.csv`; then, for
    /// items.csv, a sheet per station of `grids`.
    pub fn new(files: &[(&str, Vec<Kind>)], grids: &[Grid]) -> Result<Builder, WorkbookError> {
        let mut workbook = Workbook::new();
        // The fastest deflate: the workbook is a copy of the CSV files,
        // written on every export, and most of its time went on
        // compressing at the default level (BENCHMARKS.md).
        workbook.set_zip_compression_level(1);
        let bold = Format::new().set_bold();
        let mut copied = Vec::new();
        let mut pivot = None;
        let mut taken: Vec<String> = Vec::new();
        for (i, (file, kinds)) in files.iter().enumerate() {
            if *file == ITEMS {
                pivot = Some(i);
                copied.push(None);
                continue;
            }
            let name = file.trim_end_matches(".csv").to_string();
            let worksheet = workbook.add_worksheet_with_constant_memory()?;
            worksheet.set_name(&name)?;
            worksheet.set_freeze_panes(1, 0)?;
            taken.push(name.to_lowercase());
            copied.push(Some(Copied {
                file: file.to_string(),
                kinds: kinds.clone(),
                sheet: Sheet {
                    index: workbook_len(&mut workbook) - 1,
                    name,
                    rows: 0,
                    cut: false,
                },
            }));
        }
        let pivot = match pivot {
            Some(i) => {
                let mut sheets = Vec::new();
                let mut by_station = HashMap::new();
                for (n, grid) in grids.iter().enumerate() {
                    let name = sheet_name(&grid.station, n + 1, &taken);
                    taken.push(name.to_lowercase());
                    let worksheet = workbook.add_worksheet_with_constant_memory()?;
                    worksheet.set_name(&name)?;
                    // The header and the candidate stay in view.
                    worksheet.set_freeze_panes(1, 1)?;
                    let mut columns = HashMap::new();
                    for (c, key) in GRID_KEYS.iter().enumerate() {
                        header(worksheet, c as u16, key, &bold)?;
                    }
                    for (c, (id, text)) in grids[n].items.iter().enumerate() {
                        let c = (GRID_KEYS.len() + c) as u16;
                        header(worksheet, c, id, &bold)?;
                        // The item's words and maximum, shown over its
                        // column's head.
                        worksheet.insert_note(0, c, &Note::new(text).add_author_prefix(false))?;
                        columns.insert(id.clone(), c);
                    }
                    by_station.insert(grid.station.clone(), n);
                    sheets.push(GridSheet {
                        sheet: Sheet {
                            index: workbook_len(&mut workbook) - 1,
                            name,
                            rows: 1,
                            cut: false,
                        },
                        width: GRID_KEYS.len() + grid.items.len(),
                        columns,
                        rating_codes: grid.rating_codes.clone(),
                    });
                }
                Some((
                    i,
                    Pivot {
                        file: ITEMS.to_string(),
                        columns: None,
                        grids: sheets,
                        by_station,
                        pending: None,
                    },
                ))
            }
            None => None,
        };
        Ok(Builder {
            workbook,
            copied,
            pivot,
            bold,
            limit: MAX_ROWS,
        })
    }

    /// Adds the rows of `csv`, whole CSV records as just written to the
    /// `i`th file of `new`'s list (the first of them the header).
    pub fn add(&mut self, i: usize, csv: &[u8]) -> Result<(), WorkbookError> {
        if let Some((p, pivot)) = &mut self.pivot
            && *p == i
        {
            return pivot.add(&mut self.workbook, csv, self.limit);
        }
        let Some(Some(copied)) = self.copied.get_mut(i) else {
            return Ok(());
        };
        let sheet = &mut copied.sheet;
        let worksheet = self.workbook.worksheet_from_index(sheet.index)?;
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv);
        let mut record = csv::StringRecord::new();
        while read(&mut reader, &mut record, &copied.file)? {
            if sheet.rows == self.limit {
                sheet.cut = true;
                break;
            }
            let r = sheet.rows as u32;
            for (col, cell) in record.iter().enumerate() {
                let c = col as u16;
                if sheet.rows == 0 {
                    header(worksheet, c, cell, &self.bold)?;
                    continue;
                }
                if cell.is_empty() {
                    continue;
                }
                match copied.kinds.get(col) {
                    Some(Kind::Number) => match cell.parse::<f64>() {
                        Ok(n) => worksheet.write_number(r, c, n)?,
                        Err(_) => worksheet.write_string(r, c, cell)?,
                    },
                    _ => worksheet.write_string(r, c, plain(cell))?,
                };
            }
            sheet.rows += 1;
        }
        Ok(())
    }

    /// Writes the workbook into `file`, and returns the sheets cut short
    /// at Excel's row limit (their CSV file holds every row).
    pub fn save(mut self, file: &mut std::fs::File) -> Result<Vec<String>, WorkbookError> {
        let mut cut: Vec<String> = self
            .copied
            .iter()
            .flatten()
            .filter(|c| c.sheet.cut)
            .map(|c| c.sheet.name.clone())
            .collect();
        if let Some((_, pivot)) = &mut self.pivot {
            pivot.flush(&mut self.workbook, self.limit)?;
            cut.extend(
                pivot
                    .grids
                    .iter()
                    .filter(|g| g.sheet.cut)
                    .map(|g| g.sheet.name.clone()),
            );
        }
        self.workbook.save_to_writer(file)?;
        Ok(cut)
    }
}

impl Pivot {
    /// Gathers items.csv's rows into the rows of the stations' sheets,
    /// writing each once its examiner's sheet is whole.
    fn add(&mut self, workbook: &mut Workbook, csv: &[u8], limit: usize) -> Result<(), WorkbookError> {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv);
        let mut record = csv::StringRecord::new();
        while read(&mut reader, &mut record, &self.file)? {
            let Some(at) = &self.columns else {
                self.columns = Some(self.header(&record)?);
                continue;
            };
            let field = |i: usize| record.get(i).unwrap_or("");
            let (station, item) = (field(at.station), field(at.item));
            let key = [field(at.candidate), field(at.examiner), field(at.device)];
            let Some(&grid) = self.by_station.get(station) else {
                return Err(self.unknown(format!("station \"{station}\" is not one of the rubric's")));
            };
            let Some(&column) = self.grids[grid].columns.get(item) else {
                return Err(self.unknown(format!("item \"{item}\" is not one of station {station}'s")));
            };
            let cell = match (field(at.marks), field(at.level)) {
                ("", "") => Cell::Empty,
                ("", level) => Cell::Text(plain(level).to_string()),
                (marks, level) => match marks.parse::<f64>() {
                    Ok(n) => Cell::Number(n),
                    Err(_) => Cell::Text(plain(level).to_string()),
                },
            };
            // The global rating's code beside its label.
            let code = (item == crate::store::Unmarked::GLOBAL_RATING)
                .then(|| {
                    let g = &self.grids[grid];
                    let level = field(at.level_index).parse::<usize>().ok()?;
                    Some((*g.columns.get(RATING_CODE)?, *g.rating_codes.get(level)?))
                })
                .flatten();
            let same = self
                .pending
                .as_ref()
                .is_some_and(|p| p.grid == grid && p.key.iter().zip(key).all(|(a, b)| a == b));
            if !same {
                self.flush(workbook, limit)?;
                self.pending = Some(Pending {
                    grid,
                    key: key.map(str::to_string),
                    cells: vec![Cell::Empty; self.grids[grid].width - GRID_KEYS.len()],
                });
            }
            if let Some(p) = &mut self.pending {
                p.cells[column as usize - GRID_KEYS.len()] = cell;
                if let Some((c, code)) = code {
                    p.cells[c as usize - GRID_KEYS.len()] = Cell::Number(code);
                }
            }
        }
        Ok(())
    }

    /// The positions of the columns read, from items.csv's header.
    fn header(&self, record: &csv::StringRecord) -> Result<ItemColumns, WorkbookError> {
        let at = |name: &str| {
            record
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| WorkbookError::Csv {
                    file: self.file.clone(),
                    message: format!("its header has no column {name}"),
                })
        };
        Ok(ItemColumns {
            candidate: at("candidate_id")?,
            station: at("station")?,
            item: at("item")?,
            level: at("level")?,
            level_index: at("level_index")?,
            marks: at("marks")?,
            examiner: at("examiner")?,
            device: at("device")?,
        })
    }

    fn unknown(&self, message: String) -> WorkbookError {
        WorkbookError::Csv {
            file: self.file.clone(),
            message,
        }
    }

    /// Writes the row gathered so far, if any, into its station's sheet.
    fn flush(&mut self, workbook: &mut Workbook, limit: usize) -> Result<(), WorkbookError> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        let sheet = &mut self.grids[p.grid].sheet;
        if sheet.rows == limit {
            sheet.cut = true;
            return Ok(());
        }
        let worksheet = workbook.worksheet_from_index(sheet.index)?;
        let r = sheet.rows as u32;
        for (c, key) in p.key.iter().enumerate() {
            if !key.is_empty() {
                worksheet.write_string(r, c as u16, key)?;
            }
        }
        for (c, cell) in p.cells.iter().enumerate() {
            let c = (GRID_KEYS.len() + c) as u16;
            match cell {
                Cell::Empty => continue,
                Cell::Number(n) => worksheet.write_number(r, c, *n)?,
                Cell::Text(t) => worksheet.write_string(r, c, t)?,
            };
        }
        sheet.rows += 1;
        Ok(())
    }
}

/// The number of sheets in `workbook`.
fn workbook_len(workbook: &mut Workbook) -> usize {
    workbook.worksheets_mut().len()
}

/// Reads the next CSV record of `file`'s rows.
fn read(
    reader: &mut csv::Reader<&[u8]>,
    record: &mut csv::StringRecord,
    file: &str,
) -> Result<bool, WorkbookError> {
    reader.read_record(record).map_err(|e| WorkbookError::Csv {
        file: file.to_string(),
        message: e.to_string(),
    })
}

/// Writes a header cell, bold, its column as wide as it needs within reason.
fn header(worksheet: &mut Worksheet, c: u16, text: &str, bold: &Format) -> Result<(), XlsxError> {
    worksheet.write_string_with_format(0, c, plain(text), bold)?;
    worksheet.set_column_width(c, (text.chars().count() + 2).clamp(10, 40) as f64)?;
    Ok(())
}

/// The name of station `id`'s items sheet, the `n`th: `items ID`, or
/// `items #N` where that is longer than Excel allows or is already taken
/// (`taken` in lower case: Excel's names ignore case).
fn sheet_name(id: &str, n: usize, taken: &[String]) -> String {
    let name = format!("items {id}");
    if name.chars().count() <= MAX_SHEET_NAME && !taken.contains(&name.to_lowercase()) {
        return name;
    }
    let mut k = n;
    loop {
        let name = format!("items #{k}");
        if !taken.contains(&name.to_lowercase()) {
            return name;
        }
        k += 1;
    }
}

/// A CSV cell as it was before it was made safe for a spreadsheet: in a
/// workbook a text cell is never run as a formula, so the apostrophe put
/// before `=`, `+`, `-`, `@`, a tab or a carriage return is taken off.
fn plain(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::{Builder, Grid, Kind, plain, sheet_name};
    use calamine::{Data, Reader, Xlsx};

    /// Rows come a part at a time; a sheet that reaches the row limit is
    /// cut there and named, whatever part the limit falls in, and the
    /// other sheets are whole.
    #[test]
    fn rows_added_a_part_at_a_time_are_cut_at_the_limit_and_the_sheet_named() {
        let mut book = Builder::new(
            &[
                ("stations.csv", vec![Kind::Text, Kind::Number]),
                ("marks.csv", vec![Kind::Text]),
            ],
            &[],
        )
        .expect("workbook");
        book.limit = 4;
        book.add(0, b"item,marks\n").expect("header");
        book.add(1, b"mark\n").expect("header");
        book.add(0, b"a,1\nb,2\n").expect("part");
        book.add(1, b"'=1+1\n").expect("part");
        book.add(0, b"c,3\nd,4\n").expect("part");
        book.add(0, b"e,5\n").expect("part");
        let dir = std::env::temp_dir().join(format!("osce-workbook-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("export.xlsx");
        let mut file = std::fs::File::create(&path).expect("file");
        assert_eq!(book.save(&mut file).expect("saved"), ["stations"]);
        drop(file);
        let mut read: Xlsx<_> = calamine::open_workbook(&path).expect("read back");
        let items = read.worksheet_range("stations").expect("stations");
        let rows: Vec<Vec<Data>> = items.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(
            rows,
            [
                vec![Data::String("item".into()), Data::String("marks".into())],
                vec![Data::String("a".into()), Data::Float(1.0)],
                vec![Data::String("b".into()), Data::Float(2.0)],
                vec![Data::String("c".into()), Data::Float(3.0)],
            ]
        );
        let marks = read.worksheet_range("marks").expect("marks");
        assert_eq!(marks.get_value((1, 0)), Some(&Data::String("=1+1".into())));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// items.csv's rows, an item a row, become a row per examiner's sheet
    /// in its station's sheet, whatever part of the file each row comes
    /// in: marks as numbers, a level without marks as its words, an item
    /// not given empty.
    #[test]
    fn items_rows_become_a_row_per_sheet_in_its_stations_sheet() {
        let grid = |station: &str, items: &[&str], rating_codes: Vec<f64>| Grid {
            station: station.to_string(),
            items: items
                .iter()
                .map(|i| (i.to_string(), format!("{i} text")))
                .collect(),
            rating_codes,
        };
        let knee = ["a", "b", "global_rating", "global_rating_code"];
        let mut book = Builder::new(
            &[("items.csv", vec![]), ("marks.csv", vec![Kind::Text])],
            &[
                grid("knee", &knee, vec![1.0, 2.0, 4.0]),
                grid("hip", &["c"], Vec::new()),
            ],
        )
        .expect("workbook");
        let header = b"candidate_id,station,item,level,level_index,marks,examiner,device\n";
        book.add(0, header).expect("header");
        book.add(
            0,
            b"C1,knee,a,Done,1,2,E1,lap1\nC1,knee,b,not observed,,,E1,lap1\n",
        )
        .expect("part");
        book.add(
            0,
            b"C1,knee,global_rating,Good,2,,E1,lap1\nC1,knee,a,Done,1,1.5,E2,lap2\n",
        )
        .expect("part");
        book.add(0, b"C1,hip,c,'=x,0,3,E3,lap3\nC2,knee,b,,,,E1,lap1\n")
            .expect("part");
        let dir = std::env::temp_dir().join(format!("osce-workbook-grid-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("export.xlsx");
        let mut file = std::fs::File::create(&path).expect("file");
        assert!(book.save(&mut file).expect("saved").is_empty());
        drop(file);
        let mut read: Xlsx<_> = calamine::open_workbook(&path).expect("read back");
        assert_eq!(read.sheet_names(), ["marks", "items knee", "items hip"]);
        let s = |t: &str| Data::String(t.to_string());
        let knee: Vec<Vec<Data>> = read
            .worksheet_range("items knee")
            .expect("knee")
            .rows()
            .map(<[Data]>::to_vec)
            .collect();
        let e = || Data::Empty;
        assert_eq!(
            knee,
            [
                [
                    "candidate_id",
                    "examiner",
                    "device",
                    "a",
                    "b",
                    "global_rating",
                    "global_rating_code"
                ]
                .map(s)
                .to_vec(),
                vec![
                    s("C1"),
                    s("E1"),
                    s("lap1"),
                    Data::Float(2.0),
                    s("not observed"),
                    s("Good"),
                    Data::Float(4.0)
                ],
                vec![s("C1"), s("E2"), s("lap2"), Data::Float(1.5), e(), e(), e()],
                vec![s("C2"), s("E1"), s("lap1"), e(), e(), e(), e()],
            ]
        );
        let hip = read.worksheet_range("items hip").expect("hip");
        assert_eq!(hip.get_value((1, 3)), Some(&Data::Float(3.0)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Each station's sheet has a column per item, in the rubric's order,
    /// its note the item's text and what its figures are out of, and the
    /// global rating last, then its numeric code.
    #[test]
    fn a_stations_grid_follows_the_rubric_with_each_items_maximum() {
        let (name, text) = crate::rubric::examples::RUBRICS[0];
        let rubric = crate::rubric::check_str(name, text)
            .rubric
            .expect("the example rubric");
        let grids = super::item_grids(&rubric);
        assert_eq!(grids.len(), rubric.scored_stations().count());
        let shoulder = &grids[0];
        assert_eq!(shoulder.station, "shoulder");
        assert_eq!(
            shoulder.items[0],
            (
                "id-consent".to_string(),
                "Confirms patient identity and obtains verbal consent (out of 1)".to_string()
            )
        );
        assert!(
            shoulder
                .items
                .iter()
                .any(|(_, note)| note.ends_with("(out of 4)")),
            "{shoulder:?}"
        );
        let last: Vec<&str> = shoulder.items[shoulder.items.len() - 2..]
            .iter()
            .map(|(id, _)| id.as_str())
            .collect();
        assert_eq!(last, ["global_rating", "global_rating_code"]);
        assert_eq!(
            shoulder.rating_codes.len(),
            5,
            "a code for each of the rating's 5 levels"
        );
    }

    #[test]
    fn a_stations_sheet_name_too_long_or_taken_is_numbered() {
        let taken = vec!["results".to_string(), "items knee".to_string()];
        assert_eq!(sheet_name("hip", 2, &taken), "items hip");
        assert_eq!(sheet_name("KNEE", 3, &taken), "items #3");
        assert_eq!(sheet_name(&"x".repeat(30), 4, &taken), "items #4");
    }

    #[test]
    fn only_the_apostrophe_that_made_a_cell_safe_is_taken_off() {
        assert_eq!(plain("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(plain("'-2"), "-2");
        assert_eq!(plain("'twas"), "'twas");
        assert_eq!(plain("plain"), "plain");
    }
}
