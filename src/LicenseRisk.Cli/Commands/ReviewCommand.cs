using System.CommandLine;
using System.Text.Json;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Collection;
using LicenseRisk.Model;
using LicenseRisk.Yaml;

namespace LicenseRisk.Cli.Commands;

/// <summary>
/// <c>licenserisk review PATH...</c> lists the pending candidates of the dossiers' inboxes;
/// <c>review DOSSIER --accept ID --reason TEXT [--set FIELD=VALUE]</c> appends the candidate's
/// signal, with its provenance, to the dossier; <c>--reject ID --reason TEXT</c> marks it rejected
/// so it is never proposed again (docs/collection.md).
/// </summary>
internal sealed class ReviewCommand : LicenseRiskCommand
{
    private readonly Argument<string[]> _paths = new("PATH") { Description = "Dossier files or folders (one dossier with --accept or --reject)", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _rules = SharedOptions.Rules();
    private readonly Option<string?> _accept = new("--accept") { Description = "Accept this candidate into the dossier", HelpName = "ID" };
    private readonly Option<string?> _reject = new("--reject") { Description = "Reject this candidate (never proposed again)", HelpName = "ID" };
    private readonly Option<string?> _reason = new("--reason") { Description = "Why (required with --accept and --reject; kept in the provenance and the inbox)", HelpName = "TEXT" };
    private readonly Option<string[]> _set = new("--set") { Description = "With --accept: give or correct a field, FIELD=VALUE (repeatable)", HelpName = "FIELD=VALUE", AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _format = SharedOptions.Format("table", "table", "json");
    private readonly Option<bool> _quiet = SharedOptions.Quiet();

    public ReviewCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("review", "List pending candidate signals; accept or reject one by id, with a reason", engines, stdout, stderr)
    {
        Add(_paths);
        foreach (var option in new Option[] { _rules, _accept, _reject, _reason, _set, _format, _quiet })
        {
            Add(option);
        }
    }

    protected override int Run(ParseResult parse)
    {
        var diags = new DiagnosticBag();
        var quiet = parse.GetValue(_quiet);
        var paths = parse.GetValue(_paths)!;
        var accept = parse.GetValue(_accept);
        var reject = parse.GetValue(_reject);
        var reason = parse.GetValue(_reason);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        if (accept is null && reject is null)
        {
            if ((parse.GetValue(_set) ?? []).Length > 0 || reason is not null)
            {
                diags.Report(SourceSpan.None("licenserisk"), DiagnosticCodes.BadCommandLine, "--reason and --set go with --accept ID or --reject ID");
                DiagnosticPrinter.Print(diags, Stderr, quiet);
                return ExitCodes.BadInput;
            }

            return List(paths, parse.GetValue(_format) == "json", diags, quiet);
        }

        if (accept is not null && reject is not null)
        {
            diags.Report(SourceSpan.None("licenserisk"), DiagnosticCodes.BadCommandLine, "give --accept or --reject, not both");
        }

        if (paths.Length != 1 || Directory.Exists(paths[0]))
        {
            diags.Report(SourceSpan.None(paths[0]), DiagnosticCodes.BadCommandLine, "--accept and --reject take one dossier file");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            diags.Report(SourceSpan.None("--reason"), DiagnosticCodes.BadCommandLine, "a reason is required: --reason TEXT says why the candidate is accepted or rejected");
        }

        var set = Review.ParseSet(parse.GetValue(_set) ?? [], problem => diags.Report(SourceSpan.None("--set"), DiagnosticCodes.BadCommandLine, problem));

        if (diags.HasErrors)
        {
            DiagnosticPrinter.Print(diags, Stderr, quiet);
            return ExitCodes.BadInput;
        }

        var dossier = SourcePaths.Normalize(paths[0]);
        Candidate? done;
        if (accept is not null)
        {
            var engine = Engines.Create(parse.GetValue(_rules), Rules.ExpressionCompilerKind.Interpreted);
            var pack = engine.LoadPack(diags);
            done = pack is null ? null : Review.Accept(dossier, accept, reason!, set, pack.Catalog, engine.Options.Limits, today, diags);
        }
        else
        {
            done = Review.Reject(dossier, reject!, reason!, today, diags);
        }

        DiagnosticPrinter.Print(diags, Stderr, quiet);
        if (done is null)
        {
            return ExitCodes.BadInput;
        }

        Stdout.WriteLine(done.Status == CandidateStatus.Accepted
            ? $"{dossier}: accepted {done.Id} ({done.Signal.Kind} {IsoDate.Format(done.Signal.Date)}) as signal with provenance; {Inbox.PathFor(dossier)} updated"
            : $"{dossier}: rejected {done.Id}; it will not be proposed again");
        return ExitCodes.Ok;
    }

    private int List(string[] paths, bool json, DiagnosticBag diags, bool quiet)
    {
        var files = DossierReader.Expand(paths, diags);
        var inboxes = files.Select(f => Inbox.Load(f, diags)).OfType<Inbox>().ToList();
        DiagnosticPrinter.Print(diags, Stderr, quiet);
        if (diags.HasErrors)
        {
            return ExitCodes.BadInput;
        }

        if (json)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                Inbox.WritePending(w, inboxes);
                w.WriteEndObject();
            }

            Stdout.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            Stdout.WriteLine();
            return ExitCodes.Ok;
        }

        foreach (var inbox in inboxes.Where(i => i.Pending.Count > 0))
        {
            Stdout.WriteLine($"{inbox.DossierPath}: {inbox.Pending.Count} pending");
            foreach (var c in inbox.Pending)
            {
                Stdout.WriteLine($"  {c.Id}  {c.Signal.Kind,-22} {IsoDate.Format(c.Signal.Date)}  {c.Collector,-11}  {c.Summary()}");
                Stdout.WriteLine($"      why: {c.Why}");
                Stdout.WriteLine($"      from: {c.Url} (fetched {c.FetchedAt})");
            }
        }

        var total = inboxes.Sum(i => i.Pending.Count);
        Stdout.WriteLine(total == 0 ? "No pending candidates." : $"{total} pending candidate{(total == 1 ? "" : "s")}: accept with 'licenserisk review DOSSIER --accept ID --reason TEXT', reject with --reject ID --reason TEXT.");
        return ExitCodes.Ok;
    }
}
