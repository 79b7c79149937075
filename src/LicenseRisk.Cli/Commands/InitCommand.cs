using System.CommandLine;
using LicenseRisk.Cli.Options;
using LicenseRisk.Cli.Output;
using LicenseRisk.Model;
using LicenseRisk.Presentation;

namespace LicenseRisk.Cli.Commands;

/// <summary>
/// <c>licenserisk init DIR</c>: scaffolds a vendor-watch repository (an example dossier, a policy
/// with a commented waiver, the GitHub workflow, a local tool manifest pinning this version, a
/// README of next steps). Writes nothing when any of its files already exists.
/// </summary>
internal sealed class InitCommand : LicenseRiskCommand
{
    /// <summary>Each file written (path under DIR) and the embedded template it comes from.</summary>
    public static readonly IReadOnlyList<(string Path, string Template)> Files =
    [
        ("vendors/example-labs.yaml", "example-labs.yaml"),
        ("policy.yaml", "policy.yaml"),
        (".github/workflows/licenserisk.yml", "licenserisk.yml"),
        (".config/dotnet-tools.json", "dotnet-tools.json"),
        ("README.md", "README.md"),
    ];

    private readonly Argument<string> _dir = new("DIR") { Description = "The folder to scaffold (created if missing)", Arity = ArgumentArity.ExactlyOne };

    public InitCommand(EngineFactory engines, TextWriter stdout, TextWriter stderr)
        : base("init", "Scaffold a vendor-watch repository: example dossier, policy, CI workflow, tool manifest", engines, stdout, stderr)
    {
        Add(_dir);
    }

    /// <summary>The version the tool manifest pins: this program's, without the build metadata (+commit).</summary>
    public static string ToolVersion => ProductVersion.Text.Split('+')[0];

    protected override int Run(ParseResult parse)
    {
        var dir = parse.GetValue(_dir)!;
        var diags = new DiagnosticBag();
        if (File.Exists(dir))
        {
            diags.Report(SourceSpan.None(dir), DiagnosticCodes.CannotWriteOutput, "is a file; init needs a new or empty folder");
        }

        foreach (var (path, _) in Files)
        {
            var target = Path.Combine(dir, path);
            if (Path.Exists(target))
            {
                diags.Report(SourceSpan.None(target), DiagnosticCodes.InitWouldOverwrite, "already exists; init writes only new files, and wrote none");
            }
        }

        if (diags.HasErrors)
        {
            DiagnosticPrinter.Print(diags, Stderr, quiet: false);
            return ExitCodes.BadInput;
        }

        foreach (var (path, template) in Files)
        {
            var target = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
            AtomicFile.WriteText(target, Template(template).Replace("{{version}}", ToolVersion, StringComparison.Ordinal));
            Stdout.WriteLine($"wrote {target}");
        }

        Stdout.WriteLine($"Next: cd {dir} && dotnet tool restore && dotnet tool run licenserisk score vendors --policy policy.yaml (README.md says what else to do)");
        return ExitCodes.Ok;
    }

    private static string Template(string name)
    {
        using var stream = typeof(InitCommand).Assembly.GetManifestResourceStream("init/" + name)
            ?? throw new InvalidOperationException($"the init template '{name}' is missing from the program");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
