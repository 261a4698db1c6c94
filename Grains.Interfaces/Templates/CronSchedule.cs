namespace TaskGrid.Templates;

/// <summary>
/// A standard five-field cron expression (minute, hour, day of month, month, day of week) in a
/// named IANA time zone. Fields take <c>*</c>, numbers, ranges <c>a-b</c>, steps <c>*/n</c> and
/// <c>a-b/n</c>, lists <c>a,b</c>, month names (<c>jan</c>..<c>dec</c>) and day names
/// (<c>sun</c>..<c>sat</c>; 0 and 7 are Sunday). As in Vixie cron, when both day fields are
/// restricted a day matches either. The package feed has no cron library (Cronos and NCrontab
/// are missing), hence this small parser.
/// Daylight saving: a local time that does not exist (spring forward) is skipped; a local time
/// that happens twice (fall back) fires once, at its first occurrence.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] s_months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] s_days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _daysOfMonth;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly bool _anyDayOfMonth;
    private readonly bool _anyDayOfWeek;

    private CronSchedule(string expression, TimeZoneInfo zone, bool[][] fields, bool anyDayOfMonth, bool anyDayOfWeek)
    {
        Expression = expression;
        TimeZone = zone;
        (_minutes, _hours, _daysOfMonth, _months, _daysOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        _anyDayOfMonth = anyDayOfMonth;
        _anyDayOfWeek = anyDayOfWeek;
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>The time zone its wall-clock times are read in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parses <paramref name="expression"/> in <paramref name="timeZone"/>; false with a reason when either is wrong.</summary>
    public static bool TryParse(string? expression, string? timeZone, out CronSchedule? schedule, out string error)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(expression))
        {
            error = "is required: five fields, minute hour day-of-month month day-of-week, for example '0 3 * * *'.";
            return false;
        }
        var parts = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            error = $"has {parts.Length} fields; a cron expression has five: minute hour day-of-month month day-of-week, for example '0 3 * * *'.";
            return false;
        }
        (string Name, int Min, int Max, string[]? Names)[] specs =
        [
            ("minute", 0, 59, null), ("hour", 0, 23, null), ("day of month", 1, 31, null),
            ("month", 1, 12, s_months), ("day of week", 0, 7, s_days),
        ];
        var fields = new bool[5][];
        for (var i = 0; i < 5; i++)
        {
            if (!TryParseField(parts[i], specs[i].Min, specs[i].Max, specs[i].Names, out fields[i], out var why))
            {
                error = $"field {i + 1} ({specs[i].Name}) '{parts[i]}': {why}";
                return false;
            }
        }
        if (fields[4][7])
        {
            fields[4][0] = true;
        }
        if (!TryFindZone(timeZone, out var zone, out error))
        {
            return false;
        }
        schedule = new CronSchedule(string.Join(' ', parts), zone!, fields, parts[2] == "*", parts[4] == "*");
        error = "";
        return true;
    }

    /// <summary>Finds an IANA (or Windows) time zone by id; false with a reason when unknown.</summary>
    public static bool TryFindZone(string? timeZone, out TimeZoneInfo? zone, out string error)
    {
        zone = null;
        error = "";
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            error = "time_zone is required: an IANA name such as 'UTC' or 'Europe/Paris'.";
            return false;
        }
        if (timeZone.Length > 64)
        {
            error = "time_zone is too long; use an IANA name such as 'UTC' or 'Europe/Paris'.";
            return false;
        }
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            error = $"time_zone '{timeZone}' is not a known time zone; use an IANA name such as 'UTC' or 'Europe/Paris'.";
            return false;
        }
    }

    /// <summary>The first tick strictly after <paramref name="after"/>, or null when none comes within eight years (for example 30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var local = TimeZoneInfo.ConvertTime(after, TimeZone).DateTime;
        var t = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var limit = t.AddYears(8);
        while (t < limit)
        {
            if (!_months[t.Month])
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
                continue;
            }
            if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
                continue;
            }
            if (!_hours[t.Hour])
            {
                t = t.Date.AddHours(t.Hour + 1);
                continue;
            }
            if (!_minutes[t.Minute])
            {
                t = t.AddMinutes(1);
                continue;
            }
            if (TimeZone.IsInvalidTime(t))
            {
                t = t.AddMinutes(1);
                continue;
            }
            var offset = TimeZone.IsAmbiguousTime(t) ? TimeZone.GetAmbiguousTimeOffsets(t).Max() : TimeZone.GetUtcOffset(t);
            var instant = new DateTimeOffset(t, offset);
            if (instant > after)
            {
                return instant.ToUniversalTime();
            }
            // The second pass through a repeated hour: its ticks already fired in the first.
            t = t.AddMinutes(1);
        }
        return null;
    }

    private bool DayMatches(DateTime t)
    {
        var dom = _daysOfMonth[t.Day];
        var dow = _daysOfWeek[(int)t.DayOfWeek];
        return (_anyDayOfMonth, _anyDayOfWeek) switch
        {
            (true, true) => true,
            (true, false) => dow,
            (false, true) => dom,
            _ => dom || dow,
        };
    }

    private static bool TryParseField(string field, int min, int max, string[]? names, out bool[] allowed, out string error)
    {
        allowed = new bool[max + 1];
        foreach (var item in field.Split(','))
        {
            if (item.Length == 0)
            {
                error = "has an empty list item.";
                return false;
            }
            var range = item;
            var step = 1;
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                range = item[..slash];
                if (!int.TryParse(item[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out step) || step < 1 || step > max)
                {
                    error = $"the step after '/' must be a number from 1 to {max}.";
                    return false;
                }
            }
            int low, high;
            if (range == "*")
            {
                (low, high) = (min, max);
            }
            else
            {
                var dash = range.IndexOf('-', StringComparison.Ordinal);
                if (!TryValue(dash < 0 ? range : range[..dash], min, max, names, out low, out error))
                {
                    return false;
                }
                high = low;
                if (dash >= 0 && !TryValue(range[(dash + 1)..], min, max, names, out high, out error))
                {
                    return false;
                }
                if (dash < 0 && slash >= 0)
                {
                    high = max;
                }
                if (high < low)
                {
                    error = $"the range {low}-{high} runs backwards.";
                    return false;
                }
            }
            for (var v = low; v <= high; v += step)
            {
                allowed[v] = true;
            }
        }
        error = "";
        return true;
    }

    private static bool TryValue(string text, int min, int max, string[]? names, out int value, out string error)
    {
        error = "";
        if (names is not null)
        {
            var index = Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                value = index + (min == 1 ? 1 : 0);
                return true;
            }
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = $"'{(text.Length > 20 ? text[..20] + "…" : text)}' is not a value from {min} to {max}{(names is null ? "" : $" or a name ({string.Join(", ", names)})")}.";
            return false;
        }
        return true;
    }
}
