//! The export as one Excel workbook, for those who live in Excel: a sheet
//! per CSV file, with the same cells, numbers as numbers, the header row
//! frozen and bold. The CSV files stay as they are, for machines.
//!
//! The workbook is made from the CSV files just written (their temporary
//! copies, before they are renamed into place), so it can never say
//! anything the CSV files do not. Sheets are written in the workbook
//! library's constant-memory mode: a million rows of items take no more
//! memory than a hundred.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::results::export::Kind;

/// The workbook's file name in the export folder.
pub const WORKBOOK: &str = "export.xlsx";

/// The most rows a worksheet can hold (Excel's limit), the header's
/// included.
const MAX_ROWS: usize = 1_048_576;

/// One sheet to write: its name, the CSV file it is made from, and the
/// kind of each column.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub csv: &'a Path,
    pub kinds: Vec<Kind>,
}

/// What went wrong making the workbook.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("{path}: cannot be read back for the workbook: {message}")]
    Csv {
        path: std::path::PathBuf,
        message: String,
    },
    #[error("the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// Writes the workbook into `file`: a sheet per entry of `sheets`, in
/// order, and returns the sheets cut short at Excel's row limit (their CSV
/// file holds every row).
pub fn write(file: &mut std::fs::File, sheets: &[Sheet<'_>]) -> Result<Vec<String>, WorkbookError> {
    let mut workbook = Workbook::new();
    // The fastest deflate: the workbook is a copy of the CSV files, written
    // on every export, and most of its time went on compressing at the
    // default level (BENCHMARKS.md).
    workbook.set_zip_compression_level(1);
    let bold = Format::new().set_bold();
    let mut cut = Vec::new();
    for sheet in sheets {
        let csv_error = |message: String| WorkbookError::Csv {
            path: sheet.csv.to_path_buf(),
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(sheet.csv)
            .map_err(|e| csv_error(e.to_string()))?;
        let worksheet = workbook.add_worksheet_with_constant_memory()?;
        worksheet.set_name(sheet.name)?;
        worksheet.set_freeze_panes(1, 0)?;
        let mut record = csv::StringRecord::new();
        let mut row = 0usize;
        while reader
            .read_record(&mut record)
            .map_err(|e| csv_error(e.to_string()))?
        {
            if row == MAX_ROWS {
                cut.push(sheet.name.to_string());
                break;
            }
            let r = row as u32;
            for (col, cell) in record.iter().enumerate() {
                let c = col as u16;
                if row == 0 {
                    worksheet.write_string_with_format(r, c, plain(cell), &bold)?;
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
            row += 1;
        }
    }
    workbook.save_to_writer(file)?;
    Ok(cut)
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
    use super::plain;

    #[test]
    fn only_the_apostrophe_that_made_a_cell_safe_is_taken_off() {
        assert_eq!(plain("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(plain("'-2"), "-2");
        assert_eq!(plain("'twas"), "'twas");
        assert_eq!(plain("plain"), "plain");
    }
}
