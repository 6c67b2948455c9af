//! Who makes a commit or tag, and when: git's own answer (`git var GIT_AUTHOR_IDENT` /
//! `GIT_COMMITTER_IDENT`), so that every source git reads counts the same: `GIT_AUTHOR_*` /
//! `GIT_COMMITTER_*`, `author.*` / `committer.*`, `user.*`, `includeIf`, `user.useConfigOnly`,
//! `GIT_CONFIG_GLOBAL`, `GIT_CONFIG_COUNT`. Dates are formatted and parsed here too.

use git2::{Repository, Signature, Time};

use super::program::{git_command, line, run};
use crate::error::Error;

/// Which identity to build.
#[derive(Debug, Clone, Copy)]
pub enum Role {
    Author,
    Committer,
}

impl Role {
    fn prefix(self) -> &'static str {
        match self {
            Role::Author => "GIT_AUTHOR",
            Role::Committer => "GIT_COMMITTER",
        }
    }
}

/// The identity line git would write for `role`: `Name <email> SECONDS ZONE`.
pub(super) fn ident_line(repo: &Repository, role: Role) -> Result<String, Error> {
    let ran = run(
        git_command(repo).args(["var", &format!("{}_IDENT", role.prefix())]),
        None,
    )?;
    if !ran.ok {
        return Err(
            super::write::identity_error(&ran.stderr).unwrap_or_else(|| {
                Error::Refused(format!(
                    "git could not say who you are ({}_IDENT): {}",
                    role.prefix(),
                    ran.stderr
                ))
            }),
        );
    }
    Ok(line(&ran.stdout))
}

/// The signature for `role`, as git decides it.
pub fn signature(repo: &Repository, role: Role) -> Result<Signature<'static>, Error> {
    parse_ident(&ident_line(repo, role)?)
}

/// An identity line (`Name <email> SECONDS ZONE`) as a signature.
pub(super) fn parse_ident(raw: &str) -> Result<Signature<'static>, Error> {
    let bad = || Error::Refused(format!("git gave an identity prompt cannot read: `{raw}`"));
    let (who, when) = raw.rsplit_once('>').ok_or_else(bad)?;
    let (name, email) = who.split_once('<').ok_or_else(bad)?;
    let mut fields = when.split_whitespace();
    let seconds: i64 = fields.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let offset = fields.next().and_then(parse_offset).ok_or_else(bad)?;
    Signature::new(name.trim_end(), email, &Time::new(seconds, offset)).map_err(|source| {
        Error::Git {
            context: "invalid author or committer identity".into(),
            source,
        }
    })
}

/// The local zone's offset from UTC at `secs`, in minutes east (as git records a date given
/// without a zone, and the current time): `TZ` and the system zone rules apply.
#[cfg(unix)]
pub fn local_offset(secs: i64) -> i32 {
    // `libc::time_t`, inferred from `localtime_r`'s signature: naming the alias is deprecated on
    // musl, where it is becoming 64-bit.
    let t = secs as _;
    // SAFETY: `tm` is plain data that `localtime_r` fills in; both pointers are valid.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let filled = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    if filled {
        (tm.tm_gmtoff / 60) as i32
    } else {
        0
    }
}

#[cfg(not(unix))]
pub fn local_offset(_: i64) -> i32 {
    0
}

/// Parses the date forms git documents for `GIT_*_DATE`: git's internal `[@]SECONDS ±HHMM`,
/// ISO 8601 `YYYY-MM-DD[T ]HH:MM:SS[Z|±HH:MM|±HHMM]`, and RFC 2822 `Thu, 07 Apr 2005 22:13:13 +0200`.
pub fn parse_date(text: &str) -> Option<Time> {
    let text = text.trim();
    let (secs_part, tz_part) = match text.rsplit_once(' ') {
        Some((a, b)) if b.starts_with(['+', '-']) => (a.trim(), Some(b)),
        _ => (text, None),
    };
    let offset = match tz_part {
        Some(tz) => Some(parse_offset(tz)?),
        None => None,
    };
    // Internal format.
    let raw = secs_part.strip_prefix('@').unwrap_or(secs_part);
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        let secs = raw.parse().ok()?;
        return Some(Time::new(
            secs,
            offset.unwrap_or_else(|| local_offset(secs)),
        ));
    }
    // RFC 2822: drop the weekday, then `DD Mon YYYY HH:MM:SS`.
    let rfc = secs_part
        .split_once(", ")
        .map_or(secs_part, |(_, rest)| rest);
    let fields: Vec<&str> = rfc.split_whitespace().collect();
    if fields.len() == 4 {
        let month = MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(fields[1]))? as u32
            + 1;
        let (h, mi, s) = parse_hms(fields[3])?;
        let days = days_from_civil(fields[2].parse().ok()?, month, fields[0].parse().ok()?)?;
        let local = days * 86400 + h * 3600 + mi * 60 + s;
        let offset = offset.unwrap_or_else(|| offset_of_local(local));
        return Some(Time::new(local - i64::from(offset) * 60, offset));
    }
    // ISO 8601.
    let (date, rest) = secs_part.split_at(secs_part.find(['T', ' ']).unwrap_or(secs_part.len()));
    let mut d = date.split('-');
    let (y, m, day) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    let rest = rest.get(1..).unwrap_or("");
    let (clock, zone) = match rest.find(['Z', '+', '-']) {
        Some(i) => (&rest[..i], Some(&rest[i..])),
        None => (rest, None),
    };
    let (h, mi, s) = if clock.is_empty() {
        (0, 0, 0)
    } else {
        parse_hms(clock)?
    };
    let local = days_from_civil(y, m, day)? * 86400 + h * 3600 + mi * 60 + s;
    let offset = match zone {
        Some("Z") => 0,
        Some(z) => parse_offset(z)?,
        None => offset.unwrap_or_else(|| offset_of_local(local)),
    };
    Some(Time::new(local - i64::from(offset) * 60, offset))
}

/// The local offset for a wall-clock time given without a zone (`local` is that time read as if it
/// were UTC): the offset in force at the instant it names.
fn offset_of_local(local: i64) -> i32 {
    let guess = local_offset(local);
    local_offset(local - i64::from(guess) * 60)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn parse_hms(s: &str) -> Option<(i64, i64, i64)> {
    let mut it = s.split(':');
    let h = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let sec = it.next().map_or(Some(0.0), |x| x.parse::<f64>().ok())? as i64;
    (h < 24 && m < 60 && sec < 61).then_some((h, m, sec))
}

/// `±HHMM` or `±HH:MM` to minutes east of UTC.
fn parse_offset(s: &str) -> Option<i32> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    Some(sign * (h * 60 + m))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146097 + doe - 719468)
}

/// Formats a commit time as `YYYY-MM-DD HH:MM:SS ±HHMM` in the commit's own zone, as git does.
pub fn format_time(seconds: i64, offset_minutes: i32) -> String {
    write_time(seconds, offset_minutes, [" ", " ", ""])
}

/// Formats a commit time as RFC 3339 in the commit's own zone: `YYYY-MM-DDTHH:MM:SS±HH:MM`.
pub fn format_rfc3339(seconds: i64, offset_minutes: i32) -> String {
    write_time(seconds, offset_minutes, ["T", "", ":"])
}

/// The two formats differ only in the separators: between date and time, between time and zone,
/// and inside the zone. Digits are written directly (`log` formats one date per version, and
/// `format!` with widths was a tenth of a warm `log` of 500 versions).
fn write_time(seconds: i64, offset_minutes: i32, separators: [&str; 3]) -> String {
    let [date_time, time_zone, zone_colon] = separators;
    fn two(out: &mut String, n: i64) {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    }
    let local = seconds + i64::from(offset_minutes) * 60;
    let (y, m, d) = civil_from_days(local.div_euclid(86400));
    let secs = local.rem_euclid(86400);
    let mut out = String::with_capacity(26);
    if (0..=9999).contains(&y) {
        two(&mut out, y / 100);
        two(&mut out, y % 100);
    } else {
        out.push_str(&y.to_string());
    }
    out.push('-');
    two(&mut out, i64::from(m));
    out.push('-');
    two(&mut out, i64::from(d));
    out.push_str(date_time);
    two(&mut out, secs / 3600);
    out.push(':');
    two(&mut out, secs % 3600 / 60);
    out.push(':');
    two(&mut out, secs % 60);
    out.push_str(time_zone);
    out.push(if offset_minutes < 0 { '-' } else { '+' });
    let off = i64::from(offset_minutes.unsigned_abs());
    two(&mut out, off / 60);
    out.push_str(zone_colon);
    two(&mut out, off % 60);
    out
}

/// The inverse of `days_from_civil`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> (i64, i32) {
        let t = parse_date(s).unwrap_or_else(|| panic!("{s}"));
        (t.seconds(), t.offset_minutes())
    }

    #[test]
    fn parses_git_date_formats() {
        assert_eq!(secs("@1112911993 +0200"), (1112911993, 120));
        assert_eq!(secs("1112911993 -0130"), (1112911993, -90));
        assert_eq!(secs("2005-04-07T22:13:13Z"), (1112911993, 0));
        assert_eq!(secs("2005-04-08T00:13:13+02:00"), (1112911993, 120));
        assert_eq!(secs("2005-04-07 22:13:13 +0000"), (1112911993, 0));
        assert_eq!(secs("Fri, 08 Apr 2005 00:13:13 +0200"), (1112911993, 120));
        assert!(parse_date("yesterday").is_none());
        assert!(parse_date("2005-13-01").is_none());
    }

    #[test]
    fn formats_in_the_commit_zone() {
        assert_eq!(format_time(1112911993, 120), "2005-04-08 00:13:13 +0200");
        assert_eq!(format_time(0, -90), "1969-12-31 22:30:00 -0130");
        assert_eq!(format_rfc3339(1112911993, 120), "2005-04-08T00:13:13+02:00");
        assert_eq!(format_rfc3339(0, -90), "1969-12-31T22:30:00-01:30");
        assert_eq!(
            format_rfc3339(253402300800, 0),
            "10000-01-01T00:00:00+00:00"
        );
    }
}
