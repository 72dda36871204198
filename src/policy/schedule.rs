//! `schedule { points }`: a piecewise-constant script over calendar months.

use super::{Policy, View};
use crate::scenario::YearMonth;
use crate::scenario::decl::{PROB, declare};
use crate::scenario::params::Kind;
use crate::scenario::rules::{Broken, Rules};

declare! {
    /// One step of a schedule: from calendar month `from` on, train with `train`.
    pub struct SchedulePoint {
        /// first calendar month of a step
        pub from: String => required { label: "Step start month", kind: Kind::Month },
        /// training fraction from that month on
        pub train: f64 => required { label: "Training share from that month", range: PROB },
        /// `from` as a month index relative to the scenario start, set by validation.
        #[serde(skip)]
        pub(crate) month: i64 => internal,
    }
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

declare! {
    /// Before the first point the first point's fraction applies; points are sorted by
    /// validation, which also resolves their month indices.
    pub struct Schedule {
        /// The steps, in calendar order.
        pub points: Vec<SchedulePoint> => required_group,
    }
}

impl Policy for Schedule {
    /// At least one point, months in increasing order; resolves each point's month index.
    fn validate(&mut self, rules: &Rules<'_>) -> Result<(), Broken> {
        if self.points.is_empty() {
            return Err(Broken::new(
                "points",
                "at least one point { from = \"YYYY-MM\", train = 0.5 }",
                "[]",
            ));
        }
        let start = rules.start().index();
        let mut last = i64::MIN;
        for (k, point) in self.points.iter_mut().enumerate() {
            let month = YearMonth::parse(&point.from).map_or(i64::MIN, |m| m.index() - start);
            if month <= last {
                return Err(Broken::new(
                    format!("points.{k}.from"),
                    "months in increasing calendar order",
                    format!("\"{}\"", point.from),
                ));
            }
            point.month = month;
            last = month;
        }
        Ok(())
    }

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
