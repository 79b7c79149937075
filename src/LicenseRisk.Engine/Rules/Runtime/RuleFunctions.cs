using System.Globalization;
using LicenseRisk.Scoring;
using LicenseRisk.Model;

namespace LicenseRisk.Rules.Runtime;

/// <summary>The fixed set of helpers lowered expressions may call. Nothing else is reachable.</summary>
public static class RuleFunctions
{
    public static string? Lower(string? s) => s?.ToLowerInvariant();

    public static bool Contains(string? s, string? part) => s is not null && part is not null && s.Contains(part, StringComparison.Ordinal);

    public static bool StartsWith(string? s, string? part) => s is not null && part is not null && s.StartsWith(part, StringComparison.Ordinal);

    public static bool Eq(string? a, string? b) => string.Equals(a, b, StringComparison.Ordinal);

    // A set is a collection of one lane's type, read through IEnumerable's covariance; the
    // covariant IReadOnlyCollection gives its count without enumerating.
    public static double Count(IEnumerable<SignalFact> set) => set is IReadOnlyCollection<SignalFact> c ? c.Count : set.Count();

    /// <summary>
    /// The sum of a number field over a set, the same whatever order the set holds its signals in:
    /// the values are added in ascending order. A session that adds, moves and drops signals (what-if)
    /// meets them in another order than a fresh one, and floating-point addition is not associative.
    /// </summary>
    public static double Sum(IEnumerable<SignalFact> set, int slot, ulong bit)
    {
        var count = 0;
        foreach (var s in set)
        {
            if ((s.Present & bit) != 0)
            {
                count++;
            }
        }

        Span<double> values = count <= 64 ? stackalloc double[count] : new double[count];
        var n = 0;
        foreach (var s in set)
        {
            if ((s.Present & bit) != 0)
            {
                values[n++] = s.Num[slot];
            }
        }

        values.Sort();
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }

    public static double Newest(IEnumerable<SignalFact> set)
    {
        var newest = double.NaN;
        foreach (var s in set)
        {
            if (double.IsNaN(newest) || s.Day > newest)
            {
                newest = s.Day;
            }
        }

        return newest;
    }

    public static double Oldest(IEnumerable<SignalFact> set)
    {
        var oldest = double.NaN;
        foreach (var s in set)
        {
            if (double.IsNaN(oldest) || s.Day < oldest)
            {
                oldest = s.Day;
            }
        }

        return oldest;
    }

    public static string FormatNumber(double d) =>
        !double.IsFinite(d) ? "?" : (Math.Round(d, 2) + 0.0).ToString("0.##", CultureInfo.InvariantCulture);

    public static string FormatDate(double day) =>
        double.IsNaN(day) || double.IsInfinity(day) || day < 0 || day > DateOnly.MaxValue.DayNumber
            ? "?"
            : IsoDate.Format(DateOnly.FromDayNumber((int)day));

    public static string FormatBool(bool b) => b ? "true" : "false";

    public static string FormatText(string? s) => s ?? "?";

    /// <summary>A template's parts joined (string.Concat, reached here rather than by reflecting over System.String's many methods).</summary>
    public static string Concat(string[] parts) => string.Concat(parts);
}
