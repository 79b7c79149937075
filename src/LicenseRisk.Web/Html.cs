using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using LicenseRisk.Model;
using LicenseRisk.Presentation;
using LicenseRisk.Presentation.Report;

namespace LicenseRisk.Web;

/// <summary>HTML helpers: every text from an input (notes, names, sources, messages) goes through <see cref="E"/>.</summary>
internal static class Html
{
    public static string E(string? s) => HtmlEncoder.Default.Encode(s ?? string.Empty);

    /// <summary>A link to a signal's source when it is an http(s) URL; otherwise the text, encoded.</summary>
    public static string Source(string? source) =>
        source is null ? "" :
        Uri.TryCreate(source, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? $"<a href=\"{E(u.AbsoluteUri)}\" rel=\"noopener noreferrer nofollow\">{E(source)}</a>"
            : E(source);

    public static string Page(string title, string body, StaleInputs? stale = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<title>").Append(E(title)).Append(" · LicenseRisk</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head><body>\n");
        sb.Append("<header><nav><a href=\"/\">Overview</a><a href=\"/review\">Review</a><a href=\"/quality\">Quality</a><a href=\"/api/v1/vendors\">API</a><a href=\"/openapi/v1.json\">OpenAPI</a></nav></header>\n");
        if (stale is not null)
        {
            sb.Append("<p class=\"stale\">").Append(E(Fmt.Stale(stale))).Append("</p>\n");
        }

        sb.Append("<main>\n").Append(body).Append("</main></body></html>\n");
        return sb.ToString();
    }

    /// <summary>The band as a coloured label; colours follow the band's rank in the pack (lowest first).</summary>
    public static string Band(Bands bands, string band)
    {
        var rank = 0;
        for (var i = 0; i < bands.Thresholds.Count; i++)
        {
            if (bands.Thresholds[i].Key == band)
            {
                rank = Math.Min(i, 4);
            }
        }

        return $"<span class=\"band band-{rank}\">{E(band)}</span>";
    }

    public static string Legend(Bands bands)
    {
        var sb = new StringBuilder("<p>Bands: ");
        for (var i = 0; i < bands.Thresholds.Count; i++)
        {
            var (name, threshold) = bands.Thresholds[i];
            var upper = i + 1 < bands.Thresholds.Count ? $" below {Numbers.Probability(bands.Thresholds[i + 1].Value)}" : "";
            sb.Append(Band(bands, name)).Append(' ').Append(E($"from {Numbers.Probability(threshold)}{upper}")).Append(i + 1 < bands.Thresholds.Count ? "; " : "");
        }

        return sb.Append(". <span class=\"thin\">thin</span> marks thin evidence: a low score there leans on the prior.</p>\n").ToString();
    }

    /// <summary>A small inline SVG line of the stored runs' probabilities (0 at the bottom, 1 at the top), presentation attributes only (the CSP allows no inline style).</summary>
    public static string Sparkline(IReadOnlyList<TrendPoint> trend)
    {
        if (trend.Count == 0)
        {
            return "";
        }

        const double w = 100, h = 24;
        var points = new StringBuilder();
        for (var i = 0; i < trend.Count; i++)
        {
            var x = trend.Count == 1 ? w / 2 : i * w / (trend.Count - 1);
            var y = h - (trend[i].Probability * h);
            points.Append(string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#} "));
        }

        var label = E(string.Join(", ", trend.Select(t => $"{t.IsoWeek} {Numbers.Probability(t.Probability)}")));
        return $"<svg class=\"spark\" width=\"100\" height=\"24\" viewBox=\"0 0 100 24\" role=\"img\" aria-label=\"{label}\"><title>{label}</title>"
            + $"<polyline fill=\"none\" stroke=\"#4682B4\" stroke-width=\"1.5\" points=\"{points.ToString().TrimEnd()}\"/></svg>";
    }

    public static string Diagnostics(IEnumerable<Diagnostic> diags, string lead = "The edits have errors; nothing was scored:")
    {
        var sb = new StringBuilder("<div class=\"errors\"><p>").Append(E(lead)).Append("</p><ul>");
        foreach (var d in diags)
        {
            sb.Append("<li><code>").Append(E(d.ToString())).Append("</code></li>");
        }

        return sb.Append("</ul></div>\n").ToString();
    }
}
