//! The export as one Excel workbook, for those who live in Excel: a sheet
//! per CSV file, with the same cells, numbers as numbers, the header row
//! frozen and bold. The CSV files stay as they are, for machines.
//!
//! The workbook is made from the CSV files as they are written: each
//! piece written into a file is read back into the workbook, so it can
//! never say anything the CSV files do not. Export writes it on a thread
//! of its own while the next candidates' rows are made. Sheets are
//! written in the workbook library's constant-memory mode: a million rows
//! of items take no more memory than a hundred.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::results::export::Kind;

/// The workbook's file name in the export folder.
pub const WORKBOOK: &str = "export.xlsx";

/// The most rows a worksheet can hold (Excel's limit), the header's
/// included.
const MAX_ROWS: usize = 1_048_576;

/// What went wrong making the workbook.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("the rows written to {file} cannot be read back for the workbook: {message}")]
    Csv { file: String, message: String },
    #[error("the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// One sheet of the workbook as it is made.
struct Sheet {
    /// The CSV file it is made from.
    file: String,
    kinds: Vec<Kind>,
    /// Rows written so far, the header's included.
    rows: usize,
    /// Cut short at Excel's row limit.
    cut: bool,
}

/// The workbook as it is made, a sheet per CSV file.
pub struct Builder {
    workbook: Workbook,
    sheets: Vec<Sheet>,
    bold: Format,
    /// The most rows a sheet takes: Excel's limit.
    limit: usize,
}

impl Builder {
    /// A workbook of a sheet per `(CSV file name, kind of each column)`,
    /// in order; each sheet is named for its file, without `.csv`.
    pub fn new(files: &[(&str, Vec<Kind>)]) -> Result<Builder, WorkbookError> {
        let mut workbook = Workbook::new();
        // The fastest deflate: the workbook is a copy of the CSV files,
        // written on every export, and most of its time went on
        // compressing at the default level (BENCHMARKS.md).
        workbook.set_zip_compression_level(1);
        let mut sheets = Vec::new();
        for (file, kinds) in files {
            let worksheet = workbook.add_worksheet_with_constant_memory()?;
            worksheet.set_name(file.trim_end_matches(".csv"))?;
            worksheet.set_freeze_panes(1, 0)?;
            sheets.push(Sheet {
                file: file.to_string(),
                kinds: kinds.clone(),
                rows: 0,
                cut: false,
            });
        }
        Ok(Builder {
            workbook,
            sheets,
            bold: Format::new().set_bold(),
            limit: MAX_ROWS,
        })
    }

    /// Adds to sheet `i` the rows of `csv`, whole CSV records as just
    /// written to its file (the first of them the header).
    pub fn add(&mut self, i: usize, csv: &[u8]) -> Result<(), WorkbookError> {
        let Some(sheet) = self.sheets.get_mut(i) else {
            return Ok(());
        };
        let worksheet = self.workbook.worksheet_from_index(i)?;
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv);
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).map_err(|e| WorkbookError::Csv {
            file: sheet.file.clone(),
            message: e.to_string(),
        })? {
            if sheet.rows == self.limit {
                sheet.cut = true;
                break;
            }
            let r = sheet.rows as u32;
            for (col, cell) in record.iter().enumerate() {
                let c = col as u16;
                if sheet.rows == 0 {
                    worksheet.write_string_with_format(r, c, plain(cell), &self.bold)?;
                    worksheet.set_column_width(c, (cell.chars().count() + 2).clamp(10, 40) as f64)?;
                    continue;
                }
                if cell.is_empty() {
                    continue;
                }
                match sheet.kinds.get(col) {
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
        self.workbook.save_to_writer(file)?;
        Ok(self
            .sheets
            .iter()
            .filter(|s| s.cut)
            .map(|s| s.file.trim_end_matches(".csv").to_string())
            .collect())
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
    use super::{Builder, Kind, plain};
    use calamine::{Data, Reader, Xlsx};

    /// Rows come a part at a time; a sheet that reaches the row limit is
    /// cut there and named, whatever part the limit falls in, and the
    /// other sheets are whole.
    #[test]
    fn rows_added_a_part_at_a_time_are_cut_at_the_limit_and_the_sheet_named() {
        let mut book = Builder::new(&[
            ("items.csv", vec![Kind::Text, Kind::Number]),
            ("marks.csv", vec![Kind::Text]),
        ])
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
        assert_eq!(book.save(&mut file).expect("saved"), ["items"]);
        drop(file);
        let mut read: Xlsx<_> = calamine::open_workbook(&path).expect("read back");
        let items = read.worksheet_range("items").expect("items");
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

    #[test]
    fn only_the_apostrophe_that_made_a_cell_safe_is_taken_off() {
        assert_eq!(plain("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(plain("'-2"), "-2");
        assert_eq!(plain("'twas"), "'twas");
        assert_eq!(plain("plain"), "plain");
    }
}
