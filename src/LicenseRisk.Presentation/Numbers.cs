using System.Globalization;

namespace LicenseRisk.Presentation;

/// <summary>Number formats shared by every output, so one value reads the same everywhere.</summary>
public static class Numbers
{
    /// <summary>A signed log-odds contribution: "+0.46", "-0.12", "0.00" (never "-0.00" or "-+0.00").</summary>
    public static string Signed(double x) =>
        (Math.Round(x, 2, MidpointRounding.AwayFromZero) + 0.0).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);

    /// <summary>A probability with two decimals.</summary>
    public static string Probability(double p) => p.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// A large whole number for people: "90,000" below a million, then "700 M", "7.4 B", "1.2 T" (one
    /// decimal below 100 of the unit, none above).
    /// </summary>
    public static string Large(double n)
    {
        foreach (var (unit, name) in new[] { (1e12, "T"), (1e9, "B"), (1e6, "M") })
        {
            if (n >= unit)
            {
                var x = n / unit;
                return (x < 100 ? x.ToString("0.0", CultureInfo.InvariantCulture) : x.ToString("#,0", CultureInfo.InvariantCulture)) + " " + name;
            }
        }

        return n.ToString("#,0", CultureInfo.InvariantCulture);
    }
}
