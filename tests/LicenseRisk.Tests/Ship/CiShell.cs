using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Ship;

/// <summary>
/// Runs the shell commands of a CI definition (a workflow's or the action's <c>run:</c> scripts, a
/// GitLab job's <c>script:</c>) on this machine, as the CI runner would, against the CLI built
/// with these tests. <c>dotnet</c> on the PATH is a stand-in that fakes only what needs a registry:
/// <c>dotnet tool install</c> and <c>dotnet tool restore</c> put a <c>licenserisk</c> that runs the
/// built program where the real ones would (and log the command); <c>dotnet tool run licenserisk</c>
/// runs it; anything else goes to the real dotnet.
/// </summary>
public sealed class CiShell : IDisposable
{
    private static readonly Dictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);

    private readonly TempDir _bin = new();

    public CiShell()
    {
        var realDotnet = FindOnPath("dotnet") ?? throw new InvalidOperationException("dotnet is not on the PATH");
        File.WriteAllText(_bin["dotnet"], $$"""
            #!/usr/bin/env bash
            real='{{realDotnet}}'
            dll='{{CliProcess.Dll}}'
            echo "dotnet $*" >> '{{Log}}'
            if [ "$1" = tool ] && [ "$2" = install ]; then
              shift 2
              name=''; path=''
              while [ $# -gt 0 ]; do
                case "$1" in
                  --tool-path) path="$2"; shift 2 ;;
                  --version|--add-source|--configfile) shift 2 ;;
                  -*) shift ;;
                  *) name="$1"; shift ;;
                esac
              done
              [ "$name" = licenserisk ] && [ -n "$path" ] || { echo "fake dotnet: only 'tool install licenserisk --tool-path DIR' is faked" >&2; exit 9; }
              mkdir -p "$path"
              printf '#!/usr/bin/env bash\nexec "%s" "%s" "$@"\n' "$real" "$dll" > "$path/licenserisk"
              chmod +x "$path/licenserisk"
              echo "Tool 'licenserisk' was successfully installed."
              exit 0
            fi
            if [ "$1" = tool ] && [ "$2" = restore ]; then
              grep -q '"licenserisk"' .config/dotnet-tools.json || { echo "fake dotnet: no licenserisk in .config/dotnet-tools.json" >&2; exit 9; }
              echo "Tool 'licenserisk' was restored."
              exit 0
            fi
            if [ "$1" = tool ] && [ "$2" = run ] && [ "$3" = licenserisk ]; then
              shift 3
              exec "$real" "$dll" "$@"
            fi
            exec "$real" "$@"
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_bin["dotnet"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Every dotnet command the scripts ran, one a line.</summary>
    public string Log => _bin["dotnet.log"];

    public string[] DotnetCommands() => File.Exists(Log) ? File.ReadAllLines(Log) : [];

    /// <summary>Runs a script with bash (or sh) in a folder, with the stand-in dotnet first on the PATH.</summary>
    public CliResult Run(string script, string workingDirectory, IReadOnlyDictionary<string, string> environment, string shell = "bash")
    {
        var psi = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add("-e");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        psi.Environment["PATH"] = _bin.Path + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"the script did not finish in 120 s:\n{script}");
        }

        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose() => _bin.Dispose();

    /// <summary>Reads KEY=VALUE lines (a $GITHUB_OUTPUT file).</summary>
    public static Dictionary<string, string> KeyValues(string file) =>
        File.Exists(file)
            ? File.ReadAllLines(file).Where(l => l.Contains('=', StringComparison.Ordinal)).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The schema errors of a JSON value against a schema file in tests/LicenseRisk.Tests/Schemas.</summary>
    public static List<string> SchemaErrors(string schemaFile, JsonNode? instance)
    {
        JsonSchema schema;
        lock (Schemas)
        {
            // Built once each: a schema is registered by its URI, and a second build of it would clash.
            if (!Schemas.TryGetValue(schemaFile, out schema!))
            {
                Schemas[schemaFile] = schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", schemaFile)), baseUri: new Uri("https://licenserisk.test/" + schemaFile));
            }
        }

        using var doc = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")).DefaultIfEmpty("invalid")];
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
}

/// <summary>
/// Runs the steps of a GitHub Actions job or composite action here, as the runner would: each
/// <c>run:</c> script with bash -e in the workspace, its <c>env:</c> and <c>if:</c> evaluated from
/// the inputs and earlier steps' outputs, with the runner's files ($GITHUB_OUTPUT,
/// $GITHUB_STEP_SUMMARY, $RUNNER_TEMP). A <c>uses:</c> step (another action) cannot run here: it
/// is recorded as reached. A failed step stops the rest, as no step asks for always().
/// </summary>
public sealed partial class StepRunner : IDisposable
{
    private readonly TempDir _runner = new();
    private readonly List<JsonObject> _steps;
    private readonly string _workspace;
    private readonly IReadOnlyDictionary<string, string> _inputs;
    private readonly HashSet<string> _reached = new(StringComparer.Ordinal);

    public StepRunner(IEnumerable<JsonObject> steps, string workspace, IReadOnlyDictionary<string, string>? inputs = null)
    {
        _steps = [.. steps];
        _workspace = workspace;
        _inputs = inputs ?? new Dictionary<string, string>();
    }

    public CiShell Shell { get; } = new();

    public string Summary => _runner["summary.md"];

    /// <summary>Each step's outputs, by id (or name).</summary>
    public Dictionary<string, Dictionary<string, string>> StepOutputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the run reached the step (its if: held), whether or not it could run it.</summary>
    public bool Ran(string name) => _reached.Contains(name);

    /// <summary>The with: of a step, evaluated.</summary>
    public Dictionary<string, string> With(string name) =>
        _steps.First(s => Name(s) == name)["with"]!.AsObject().ToDictionary(kv => kv.Key, kv => Evaluate(kv.Value!.ToString()), StringComparer.Ordinal);

    /// <summary>Runs the steps in order; the results of the run: steps, by id (or name).</summary>
    public Dictionary<string, CliResult> RunAll()
    {
        var results = new Dictionary<string, CliResult>(StringComparer.Ordinal);
        foreach (var step in _steps)
        {
            if (step["if"] is { } condition && !Condition(condition.ToString()))
            {
                continue;
            }

            _reached.Add(Name(step));
            if (step["uses"] is not null)
            {
                continue;
            }

            var id = step["id"]?.ToString() ?? Name(step);
            var output = _runner[$"output-{results.Count}"];
            var env = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["RUNNER_TEMP"] = _runner["temp"],
                ["GITHUB_OUTPUT"] = output,
                ["GITHUB_STEP_SUMMARY"] = Summary,
            };
            foreach (var (name, value) in step["env"]?.AsObject() ?? [])
            {
                env[name] = Evaluate(value!.ToString());
            }

            (step["shell"]?.ToString() ?? "bash").ShouldBe("bash");
            var result = Shell.Run(step["run"]!.ToString(), _workspace, env);
            results[id] = result;
            StepOutputs[id] = CiShell.KeyValues(output);
            if (result.ExitCode != 0)
            {
                break;
            }
        }

        return results;
    }

    public void Dispose()
    {
        Shell.Dispose();
        _runner.Dispose();
    }

    private static string Name(JsonObject step) => step["name"]?.ToString() ?? step["uses"]?.ToString() ?? step["run"]!.ToString();

    [GeneratedRegex(@"\$\{\{\s*(.+?)\s*\}\}")]
    private static partial Regex Expression();

    /// <summary>The expressions the definitions use: inputs.NAME, steps.ID.outputs.NAME, runner.temp; anything else fails the test.</summary>
    private string Value(string expression) => expression.Split('.') switch
    {
        ["inputs", var name] => _inputs[name],
        ["steps", var id, "outputs", var name] => StepOutputs.TryGetValue(id, out var o) && o.TryGetValue(name, out var v) ? v : string.Empty,
        ["runner", "temp"] => _runner["temp"],
        _ => throw new InvalidOperationException($"the test does not know the expression '{expression}'"),
    };

    private string Evaluate(string text) => Expression().Replace(text, m => Value(m.Groups[1].Value));

    /// <summary>An if: of the form "X == 'literal'" or "X != 'literal'".</summary>
    private bool Condition(string text)
    {
        var m = Regex.Match(text.Trim(), @"^(\S+)\s*(==|!=)\s*'([^']*)'$");
        m.Success.ShouldBeTrue($"the test does not know the condition '{text}'");
        var equal = Value(m.Groups[1].Value) == m.Groups[3].Value;
        return m.Groups[2].Value == "==" ? equal : !equal;
    }
}
