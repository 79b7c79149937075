using LicenseRisk.Application;
using LicenseRisk.Backtesting;
using LicenseRisk.Hosting.Service;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Backtest;
using LicenseRisk.Yaml;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Web;

/// <summary>The backtest of the running pack (and policy) over the case folder, or why there is none.</summary>
/// <param name="Folder">the case folder (LicenseRisk:Web:Cases).</param>
/// <param name="Report">the backtest; null when the cases could not be read.</param>
/// <param name="Errors">the cases' located errors, or a missing folder.</param>
/// <param name="Chart">the reliability diagram and forecast-versus-outcome plot (SVG), when there are cases.</param>
public sealed record QualityView(string Folder, BacktestReport? Report, IReadOnlyList<Diagnostic> Errors, string? Chart);

/// <summary>
/// Backtests the inputs in use against the dossiers with a <c>case:</c> block in the folder
/// <see cref="WebOptions.Cases"/>, as <c>licenserisk backtest DIR</c> does (Backtester), and keeps
/// the answer until the inputs are reloaded or a file in the folder changes.
/// </summary>
public sealed class ForecastQuality(InputState state, IOptions<WebOptions> web, LicenseRiskOptions lr)
{
    private readonly Lock _gate = new();
    private (InputSnapshot Snapshot, string Stamp, QualityView View)? _cached;

    /// <summary>The configured case folder, or null.</summary>
    public string? Folder => string.IsNullOrWhiteSpace(web.Value.Cases) ? null : web.Value.Cases;

    /// <summary>The backtest; null when no case folder is configured or the inputs are not loaded yet.</summary>
    public QualityView? Current()
    {
        if (Folder is not { } folder || state.Current is not { } snapshot)
        {
            return null;
        }

        var stamp = Stamp(folder);
        lock (_gate)
        {
            if (_cached is { } c && ReferenceEquals(c.Snapshot, snapshot) && c.Stamp == stamp)
            {
                return c.View;
            }

            var view = Build(folder, snapshot.Inputs);
            _cached = (snapshot, stamp, view);
            return view;
        }
    }

    private QualityView Build(string folder, LoadedInputs inputs)
    {
        var diags = new DiagnosticBag();
        if (!Directory.Exists(folder))
        {
            diags.Report(SourceSpan.None(folder), DiagnosticCodes.FileNotFound, "no such folder (LicenseRisk:Web:Cases, serve --cases)");
            return new QualityView(folder, null, diags.Items, null);
        }

        var cases = DossierReader.ReadAll(DossierReader.Expand([folder], diags), inputs.Pack.Catalog, lr.Limits, diags);
        if (diags.HasErrors)
        {
            return new QualityView(folder, null, [.. diags.Sorted().Where(d => d.IsError)], null);
        }

        var report = Backtester.Run(inputs.Pack, cases, inputs.Policy);
        return new QualityView(folder, report, [], report.Cases > 0 ? BacktestCharts.Svg(report) : null);
    }

    /// <summary>The folder's files, sizes and write times: changes when a case is added, edited or removed.</summary>
    private static string Stamp(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return "missing";
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => new FileInfo(f)).Select(f => $"{f.FullName}|{f.Length}|{f.LastWriteTimeUtc.Ticks}");
        return string.Join("\n", files);
    }
}
