using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using LicenseRisk.Tests.Cli;

namespace LicenseRisk.Tests.Web;

/// <summary>
/// The real <c>licenserisk serve</c> as a separate process (the Native AOT binary when
/// <see cref="CliProcess.BinaryVariable"/> names one, else the JIT build), listening on a free
/// loopback port (<c>--urls http://127.0.0.1:0</c>; the address is read from its
/// <c>Now listening on:</c> log line, as a user would), ready once <c>/readyz</c> answers 200.
/// <see cref="Stop"/> sends SIGTERM, as systemd or Ctrl+C would.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(string[] args, IReadOnlyDictionary<string, string> environment)
    {
        _process = new Process { StartInfo = CliProcess.StartInfo(args, environment: environment), EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Line(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Line(_stderr, e.Data);
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"serve exited before listening:\n{Output}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Base { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>What the process wrote so far (stdout, then stderr).</summary>
    public string Output
    {
        get
        {
            lock (_stdout)
            {
                return _stdout + "\n--- stderr ---\n" + _stderr;
            }
        }
    }

    /// <summary>Starts <c>licenserisk serve ARGS --urls http://127.0.0.1:0</c> and waits until it is ready (60 s at most).</summary>
    public static async Task<ServeProcess> Start(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var serve = new ServeProcess(["serve", .. args, "--urls", "http://127.0.0.1:0"], environment ?? new Dictionary<string, string>());
        try
        {
            var deadline = Task.Delay(TimeSpan.FromSeconds(60));
            if (await Task.WhenAny(serve._listening.Task, deadline) == deadline)
            {
                throw new TimeoutException($"serve did not log 'Now listening on:' within 60 s:\n{serve.Output}");
            }

            serve.Base = await serve._listening.Task;
            serve.Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            {
                BaseAddress = serve.Base,
                Timeout = TimeSpan.FromSeconds(60),
            };
            while (true)
            {
                if (serve._process.HasExited)
                {
                    throw new InvalidOperationException($"serve exited with {serve._process.ExitCode} before it was ready:\n{serve.Output}");
                }

                if ((await serve.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return serve;
                }

                if (deadline.IsCompleted)
                {
                    throw new TimeoutException($"/readyz did not answer 200 within 60 s:\n{serve.Output}");
                }

                await Task.Delay(100);
            }
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the service as an operator does (SIGTERM) and answers its exit code (it must exit within 30 s).</summary>
    public int Stop()
    {
        if (!_process.HasExited)
        {
            Kill(_process.Id, SigTerm).ShouldBe(0, "kill(SIGTERM)");
            if (!_process.WaitForExit(30_000))
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"serve did not stop within 30 s of SIGTERM:\n{Output}");
            }
        }

        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Line(StringBuilder into, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stdout)
        {
            into.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } m)
        {
            _listening.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
