//! Read-side queries shared by the CLI and the window (the dashboard's first numbers).

use super::Store;
use crate::error::Result;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ClassCount {
    pub class: String,
    pub count: i64,
}

/// The first numbers the dashboard shows: what is in the database.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Overview {
    pub imports: i64,
    pub events: i64,
    pub campaigns: i64,
    pub recipients: i64,
    pub by_class: Vec<ClassCount>,
}

impl Store {
    pub fn overview(&self) -> Result<Overview> {
        let count = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let mut st = self
            .conn
            .prepare("SELECT class, COUNT(*) FROM events GROUP BY class ORDER BY class")?;
        let by_class = st
            .query_map([], |r| {
                Ok(ClassCount {
                    class: r.get(0)?,
                    count: r.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Overview {
            imports: count("SELECT COUNT(*) FROM imports")?,
            events: count("SELECT COUNT(*) FROM events")?,
            campaigns: count("SELECT COUNT(*) FROM campaigns")?,
            recipients: count("SELECT COUNT(*) FROM recipients")?,
            by_class,
        })
    }
}
