namespace LicenseRisk;

/// <summary>A count with its noun in the right number: "1 error", "2 errors", "0 errors".</summary>
public static class Plural
{
    /// <summary>The count and the noun, with "s" added unless the count is one.</summary>
    public static string Of(int count, string singular) => Of(count, singular, singular + "s");

    /// <summary>The count and the singular or plural form given ("1 signal is", "2 signals are").</summary>
    public static string Of(int count, string singular, string plural) =>
        $"{count.ToString(System.Globalization.CultureInfo.InvariantCulture)} {(count == 1 ? singular : plural)}";
}
