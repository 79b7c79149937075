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
}
