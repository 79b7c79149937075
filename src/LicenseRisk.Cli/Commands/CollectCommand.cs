using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Collection;
using LicenseRisk.Model;
using LicenseRisk.Presentation.Report;

namespace LicenseRisk.Cli.Commands;

/// <summary>
/// <c>licenserisk collect PATH...</c>: reads the sources each dossier names (vendor.sources) and
/// adds what the collectors propose to the inbox beside each dossier (docs/collection.md). Dossiers
/// are never written; a source that fails is reported (SourceFailed) and the others still run.
/// </summary>
internal sealed class CollectCommand : LicenseRiskCommand
{
    private readonly Argument<string[]> _paths = new("PATH") { Description = "Dossier files or folders", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _rules = SharedOptions.Rules();
    private readonly Option<string?> _policy = SharedOptions.Policy();
    private readonly Option<Uri?> _hub = UrlOption("--hub-url", "The Hugging Face Hub's address (default https://huggingface.co)");
    private readonly Option<Uri?> _openRouter = UrlOption("--openrouter-url", "OpenRouter's address (default https://openrouter.ai)");
    private readonly Option<Uri?> _gitHub = UrlOption("--github-url", "The GitHub API's address (default https://api.github.com)");
    private readonly Option<string?> _cache = new("--cache") { Description = "Folder of the conditional-request cache (default ~/.cache/licenserisk/http)", HelpName = "DIR" };
    private readonly Option<bool> _noCache = new("--no-cache") { Description = "Send no conditional requests and keep no cache" };
    private readonly Option<int?> _timeout = new CheckedOption<int?>("--timeout", DiagnosticCodes.BadCommandLine, text =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 600 ? (s, null) : (null, $"must be a whole number of seconds from 1 to 600, not '{text}'"))
    {
        Description = "Seconds one request may take (default 30)",
        HelpName = "SECONDS",
    };

    private readonly Option<string> _format = SharedOptions.Format("table", "table", "json");
    private readonly Option<bool> _quiet = SharedOptions.Quiet();

    public CollectCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("collect", "Read the sources the dossiers name and propose candidate signals to each dossier's inbox", engines, stdout, stderr)
    {
        Add(_paths);
        foreach (var option in new Option[] { _rules, _policy, _hub, _openRouter, _gitHub, _cache, _noCache, _timeout, _format, _quiet })
        {
            Add(option);
        }
    }

    /// <summary>An absolute http(s) address option.</summary>
    internal static Option<Uri?> UrlOption(string name, string description) =>
        new CheckedOption<Uri?>(name, DiagnosticCodes.BadCommandLine, text =>
            CollectOptions.ParseBaseUrl(text) is { } uri
                ? (uri, null)
                : (null, $"must be an http or https address, not '{text}'"))
        {
            Description = description,
            HelpName = "URL",
        };

    protected override int Run(ParseResult parse)
    {
        var diags = new DiagnosticBag();
        var quiet = parse.GetValue(_quiet);
        var engine = Engines.Create(parse.GetValue(_rules), Rules.ExpressionCompilerKind.Interpreted);
        var loaded = engine.Load(parse.GetValue(_paths)!, parse.GetValue(_policy), diags);
        if (loaded is null || diags.HasErrors)
        {
            DiagnosticPrinter.Print(diags, Stderr, quiet);
            return ExitCodes.BadInput;
        }

        var options = new CollectOptions
        {
            CacheDirectory = parse.GetValue(_noCache) ? null : parse.GetValue(_cache) ?? CollectOptions.DefaultCacheDirectory(),
        };
        options.HubUrl = parse.GetValue(_hub) ?? options.HubUrl;
        options.OpenRouterUrl = parse.GetValue(_openRouter) ?? options.OpenRouterUrl;
        options.GitHubUrl = parse.GetValue(_gitHub) ?? options.GitHubUrl;
        if (parse.GetValue(_timeout) is { } seconds)
        {
            options.Timeout = TimeSpan.FromSeconds(seconds);
        }

        var result = Collector.Create(options).RunAsync(loaded.Dossiers, diags, CancellationToken.None).GetAwaiter().GetResult();
        var auto = AutoAccept.Apply(result, loaded.Policy, loaded.Pack.Catalog, engine.Options.Limits, DateOnly.FromDateTime(DateTime.UtcNow), diags);
        DiagnosticPrinter.Print(diags, Stderr, quiet);
        if (parse.GetValue(_format) == "json")
        {
            using var stdout = new MemoryStream();
            WriteJson(stdout, result, auto);
            Stdout.Write(System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
        }
        else
        {
            foreach (var d in result.Dossiers)
            {
                var accepted = auto.GetValueOrDefault(d.DossierPath, []);
                Stdout.WriteLine($"{d.DossierPath}: {Plural.Of(d.Added.Count, "new candidate")}, {d.Pending - accepted.Count} pending in {Inbox.PathFor(d.DossierPath)}"
                    + (accepted.Count > 0 ? $", {accepted.Count} accepted automatically (policy collect.auto_accept)" : string.Empty));
                foreach (var c in d.Added)
                {
                    var mark = accepted.Any(a => a.Id == c.Id) ? "  [accepted automatically]" : string.Empty;
                    Stdout.WriteLine($"  {c.Id}  {c.Signal.Kind,-22} {IsoDate.Format(c.Signal.Date)}  {c.Summary()}{mark}");
                }
            }

            if (result.Failures.Count > 0)
            {
                Stdout.WriteLine($"{Plural.Of(result.Failures.Count, "source")} failed (see the messages above); the others were read.");
            }
        }

        // Exit 1 when a source failed: what the others proposed is in the inboxes all the same.
        return result.Failures.Count > 0 ? ExitCodes.GateTripped : ExitCodes.Ok;
    }

    private static void WriteJson(Stream stream, CollectResult result, IReadOnlyDictionary<string, IReadOnlyList<Candidate>> auto)
    {
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("added", result.Added);
            w.WriteStartArray("dossiers");
            foreach (var d in result.Dossiers)
            {
                w.WriteStartObject();
                w.WriteString("dossier", d.DossierPath);
                w.WriteString("vendor", d.Vendor);
                w.WriteString("inbox", Inbox.PathFor(d.DossierPath));
                var accepted = auto.GetValueOrDefault(d.DossierPath, []);
                w.WriteNumber("pending", d.Pending - accepted.Count);
                w.WriteStartArray("added");
                foreach (var c in d.Added)
                {
                    Inbox.WriteCandidate(w, accepted.FirstOrDefault(a => a.Id == c.Id) ?? c);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            JsonReportWriter.WriteFailed(w, result.Failures.Select(f => new FailedSource(f.Vendor, f.Source, f.Url, f.Reason)));
            w.WriteEndObject();
        }

        stream.Write("\n"u8);
    }
}
