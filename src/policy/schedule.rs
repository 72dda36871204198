//! `schedule { points }`: a piecewise-constant script over calendar months.

use serde::{Deserialize, Serialize};

use super::{Policy, View};

/// One step of a schedule: from calendar month `from` on, train with `train`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulePoint {
    /// First calendar month of the step, `YYYY-MM`.
    pub from: String,
    /// Training fraction from then on.
    pub train: f64,
    /// `from` as a month index relative to the scenario start, set by validation.
    #[serde(skip)]
    pub(crate) month: i64,
}

impl SchedulePoint {
    /// A point at calendar month `from`.
    pub fn new(from: &str, train: f64) -> SchedulePoint {
        SchedulePoint {
            from: from.to_string(),
            train,
            month: 0,
        }
    }
}

/// Before the first point the first point's fraction applies; points are sorted by
/// validation, which also resolves their month indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// The steps, in calendar order.
    pub points: Vec<SchedulePoint>,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            points: vec![SchedulePoint::new("2023-01", 0.5)],
        }
    }
}

impl Policy for Schedule {
    fn train_fraction(&self, view: &View) -> f64 {
        let now = i64::from(view.month);
        let mut train = self.points.first().map_or(0.5, |p| p.train);
        for point in &self.points {
            if point.month <= now {
                train = point.train;
            } else {
                break;
            }
        }
        train
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_at_the_points() {
        let mut p = Schedule {
            points: vec![SchedulePoint::new("a", 0.7), SchedulePoint::new("b", 0.3)],
        };
        p.points[0].month = 2;
        p.points[1].month = 5;
        let q = [0.0];
        let mut v = super::super::test_view(&q, 0);
        let at = |v: &mut View, m| {
            v.month = m;
            p.train_fraction(v)
        };
        assert_eq!(at(&mut v, 0), 0.7);
        assert_eq!(at(&mut v, 4), 0.7);
        assert_eq!(at(&mut v, 5), 0.3);
        assert_eq!(at(&mut v, 50), 0.3);
    }
}
