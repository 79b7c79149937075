namespace LicenseRisk.Web;

/// <summary>The web host's settings: section <c>LicenseRisk:Web</c> (LICENSERISK__WEB__* variables, <c>--LicenseRisk:Web:Key=value</c>).</summary>
public sealed class WebOptions
{
    public const string Section = "LicenseRisk:Web";

    /// <summary>
    /// The token that actions which change state (running a report) require, as
    /// <c>Authorization: Bearer TOKEN</c> or a form's token field. Empty: such actions are refused.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Scoring and what-if requests a client (by remote address) may make per minute; more are answered 429.</summary>
    public int ScoreRequestsPerMinute { get; set; } = 120;

    /// <summary>A folder of dossiers with a <c>case:</c> block (e.g. samples/cases): the /quality page backtests the running pack over them. Empty: no such page content.</summary>
    public string? Cases { get; set; }
}
