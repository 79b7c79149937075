using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;

namespace LicenseRisk.Benchmarks.Workload;

/// <summary>LicenseRisk on the generated workload: the pack written as YAML, compiled, and dossiers scored by the engine.</summary>
public sealed class LicenseRiskRunner : IDisposable
{
    public LicenseRiskRunner(IReadOnlyList<RuleSpec> rules)
    {
        Dir = Path.Combine(Path.GetTempPath(), "lr-bench", Guid.NewGuid().ToString("n"));
        Generator.WritePack(Dir, rules);
        Pack = Compile(Dir);
    }

    public string Dir { get; }

    public CompiledPack Pack { get; }

    /// <summary>From YAML on disk to a ready session factory (read, parse, bind, lower, compile).</summary>
    public static CompiledPack Compile(string dir)
    {
        var diags = new DiagnosticBag();
        var pack = PackCompiler.Load(dir, new LicenseRisk.Yaml.Limits(), diags);
        if (pack is null)
        {
            throw new InvalidOperationException(string.Join("\n", diags.Sorted()));
        }

        return pack;
    }

    /// <summary>The neutral dossier as the engine's model (what the dossier reader would produce).</summary>
    public Dossier ToDossier(WDossier d)
    {
        var catalog = Pack.Catalog;
        var signals = new List<SignalRecord>(d.Signals.Count);
        foreach (var s in d.Signals)
        {
            var kind = catalog.Find($"k{s.Kind}")!;
            var level = kind.Field("level")!;
            var tag = kind.Field("tag")!;
            signals.Add(new SignalRecord(
                kind,
                DateOnly.FromDayNumber((int)s.Day),
                s.Confidence,
                "gen",
                null,
                s.Id,
                [new FieldValue(level, s.Level, null, false), new FieldValue(tag, 0, s.Tag, false)],
                SourceSpan.None(d.Vendor)));
        }

        return new Dossier($"{d.Vendor}.yaml", new VendorInfo(d.Vendor, d.Vendor, null, null, [], SourceSpan.None(d.Vendor)), signals, null);
    }

    public VendorScore Score(Dossier dossier) => Evaluator.Score(Pack, dossier, Generator.AsOfDate);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
