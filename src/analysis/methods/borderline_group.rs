//! The borderline group (BGM): the mean score of the candidates graded
//! borderline.

use super::{Figure, Method, MethodResult, StationData};
use crate::analysis::report::markdown::m1;
use crate::analysis::stats;
use crate::scoring::SetMethod;

pub struct BorderlineGroup;

impl Method for BorderlineGroup {
    fn id(&self) -> &'static str {
        "borderline-group"
    }

    fn name(&self) -> SetMethod {
        SetMethod::BorderlineGroup
    }

    fn table_columns(&self) -> Vec<&'static str> {
        vec!["BGM pass mark"]
    }

    fn csv_columns(&self) -> Vec<&'static str> {
        vec!["bgm_pass_mark"]
    }

    fn station_pass_mark(&self, data: &StationData) -> MethodResult {
        let borderline: Vec<f64> = data
            .candidates
            .iter()
            .filter(|c| c.borderline)
            .map(|c| c.score)
            .collect();
        let group = match (data.borderline_code, stats::mean(&borderline)) {
            (None, _) => Err("no borderline level to group by".to_string()),
            (Some(_), None) => Err("no candidate was graded borderline".to_string()),
            (Some(_), Some(m)) => Ok((m, borderline.len())),
        };
        MethodResult {
            cells: vec![match &group {
                Ok((m, n)) => format!("{} (n = {n})", m1(*m)),
                Err(why) => format!("— ({why})"),
            }],
            figures: vec![Figure::Number(group.as_ref().ok().map(|g| g.0))],
            detail: group
                .as_ref()
                .map(|(_, n)| format!(" (n = {n})"))
                .unwrap_or_default(),
            pass_mark: group.map(|g| g.0),
        }
    }
}
