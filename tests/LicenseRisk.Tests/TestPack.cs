using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests;

/// <summary>Writes small rule packs and dossiers into a temporary folder the test owns.</summary>
public sealed class TestPack : IDisposable
{
    public const string Signals = """
        kinds:
          release:
            fields:
              model: { type: string, required: true }
              weights: { type: enum, values: [open, gated, api_only], required: true }
              license: { type: string }
              tier: { type: enum, values: [flagship, mid, small] }
              params_b: { type: number }
          leadership_departure:
            fields:
              person: { type: string }
              role: { type: string }
              seniority: { type: enum, values: [founder, executive, lead, senior], required: true }
              to_org: { type: string }
              to_closed_lab: { type: bool }
          leadership_appointment:
            fields:
              person: { type: string }
              seniority: { type: enum, values: [founder, executive, lead, senior] }
              from_org: { type: string }
              from_closed_lab: { type: bool, required: true }
          hiring:
            fields:
              count: { type: int }
              from_closed_lab: { type: bool, required: true }
          closed_lab_leadership:
            derived: true
            fields:
              from_org: { type: string }
          flag_a:
            derived: true
          flag_b:
            derived: true
        """;

    public TestPack(string rules, string? prior = "0.2", string signals = Signals, string extraModel = "")
    {
        Dir = Path.Combine(Path.GetTempPath(), "lr-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Dir);
        File.WriteAllText(Path.Combine(Dir, "pack.yaml"), $"""
            pack: {"{"} name: test, version: 0.0.1 {"}"}
            model:
              prior: {prior}
              horizon_months: 12
              half_life_days: 365
            {extraModel}
            bands: {"{"} low: 0, elevated: 0.25, high: 0.5, critical: 0.75 {"}"}
            """);
        File.WriteAllText(Path.Combine(Dir, "signals.yaml"), signals);
        File.WriteAllText(Path.Combine(Dir, "rules.yaml"), rules);
    }

    public string Dir { get; }

    public string RulesFile => SourcePaths.Normalize(Path.Combine(Dir, "rules.yaml"));

    public string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return SourcePaths.Normalize(path);
    }

    public (CompiledPack? Pack, DiagnosticBag Diags) Compile(ExpressionCompilerKind compiler = ExpressionCompilerKind.Fast)
    {
        var diags = new DiagnosticBag();
        return (PackCompiler.Load(Dir, new LicenseRisk.Yaml.Limits(), diags, compiler), diags);
    }

    public CompiledPack CompileOk(ExpressionCompilerKind compiler = ExpressionCompilerKind.Fast)
    {
        var (pack, diags) = Compile(compiler);
        diags.Items.Where(d => d.IsError).ShouldBeEmpty();
        return pack!;
    }

    public static string Errors(DiagnosticBag diags) => string.Join("\n", diags.Sorted().Where(d => d.IsError));

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

public static class Repo
{
    /// <summary>The repository root (where LicenseRisk.sln is).</summary>
    public static string Root { get; } = Find();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "LicenseRisk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}

/// <summary>The fixture pack and dossiers in Fixtures/, as copied to the test output folder.</summary>
public static class Fixture
{
    /// <summary>The fixture pack's folder, for <c>--rules</c>.</summary>
    public static string Pack => Path("pack");

    /// <summary>The fixture dossiers' folder.</summary>
    public static string Vendors => Path("vendors");

    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    /// <summary>The path from the repository root, where <see cref="Cli.CliProcess.Run"/> starts the program, with '/'.</summary>
    public static string FromRoot(string relative) => System.IO.Path.GetRelativePath(Repo.Root, Path(relative)).Replace('\\', '/');
}
