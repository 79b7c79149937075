using System.Globalization;
using System.Text;
using LicenseRisk.Model;

namespace LicenseRisk.Hosting.Reports;

/// <summary>Identifies a signal across runs: its id, or its kind, day and field values (not its line, which moves).</summary>
public static class SignalKeys
{
    public static string Key(SignalRecord s)
    {
        if (s.Id is not null)
        {
            return "id:" + s.Id;
        }

        var sb = new StringBuilder();
        sb.Append(s.Kind.Name).Append('|').Append(IsoDate.Format(s.Date));
        foreach (var v in s.Values.OrderBy(v => v.Field.Name, StringComparer.Ordinal))
        {
            sb.Append('|').Append(v.Field.Name).Append('=');
            sb.Append(v.Field.Type switch
            {
                FieldType.Number or FieldType.Int => v.Number.ToString("R", CultureInfo.InvariantCulture),
                FieldType.Bool => v.Flag ? "true" : "false",
                _ => v.Text,
            });
        }

        return sb.ToString();
    }

    /// <summary>The signals a score considered: those dated on or before its as-of day.</summary>
    public static IEnumerable<SignalRecord> ConsideredSignals(VendorScore s) => s.Dossier.Signals.Where(x => x.Known <= s.AsOf);

    public static IEnumerable<string> Considered(VendorScore s) => ConsideredSignals(s).Select(Key);
}
