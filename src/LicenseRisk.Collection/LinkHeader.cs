using System.Text.RegularExpressions;

namespace LicenseRisk.Collection;

/// <summary>The paging of an HTTP <c>Link</c> header (RFC 8288), as the Hugging Face Hub and GitHub send it.</summary>
public static partial class LinkHeader
{
    /// <summary>The <c>rel="next"</c> address of a Link header, resolved against the page's address; null on the last page.</summary>
    public static Uri? Next(string? link, Uri current)
    {
        if (link is null)
        {
            return null;
        }

        foreach (Match m in LinkPattern().Matches(link))
        {
            if (m.Groups[2].Value.Split(' ').Contains("next"))
            {
                return Uri.TryCreate(current, m.Groups[1].Value, out var next) ? next : null;
            }
        }

        return null;
    }

    [GeneratedRegex(@"<([^>]*)>\s*;\s*rel\s*=\s*""?([^"",]*)""?")]
    private static partial Regex LinkPattern();
}
