//! docs/http-coverage.md and the crate's endpoint list agree, row for row.
//!
//! `qie_http::request::ENDPOINTS` does not compile when one of its methods is missing, so a row
//! that matches it names a method that exists.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use qie_http::request::ENDPOINTS;

type Row = (String, String, String);

fn table_rows() -> Vec<Row> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/http-coverage.md");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.find("<!-- coverage-table-start -->").unwrap();
    let end = text.find("<!-- coverage-table-end -->").unwrap();

    text[start..end]
        .lines()
        .filter(|line| {
            line.starts_with("| ") && !line.starts_with("| Method") && !line.starts_with("| ---")
        })
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (
                cells[1].to_owned(),
                cells[2].trim_matches('`').to_owned(),
                cells[3].trim_matches('`').to_owned(),
            )
        })
        .collect()
}

fn code_rows() -> Vec<Row> {
    ENDPOINTS
        .iter()
        .map(|endpoint| {
            (
                endpoint.route.method().to_string(),
                endpoint.route.template().to_owned(),
                endpoint.function.to_owned(),
            )
        })
        .collect()
}

#[test]
fn table_rows_have_functions() {
    let code: BTreeSet<Row> = code_rows().into_iter().collect();

    for row in table_rows() {
        assert!(
            code.contains(&row),
            "docs/http-coverage.md lists {row:?}, but no such method calls that endpoint"
        );
    }
}

#[test]
fn every_function_is_in_table() {
    let table: BTreeSet<Row> = table_rows().into_iter().collect();

    for row in code_rows() {
        assert!(
            table.contains(&row),
            "{row:?} is missing from docs/http-coverage.md"
        );
    }
}

#[test]
fn table_has_no_duplicates() {
    let rows = table_rows();
    let unique: BTreeSet<&Row> = rows.iter().collect();

    assert_eq!(unique.len(), rows.len());
    assert!(rows.len() >= 100, "only {} rows parsed", rows.len());
}
