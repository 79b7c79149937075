using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Hosting.Service;

/// <summary>Watches the rule pack and dossier folders; reloads once the changes have been quiet for the debounce time.</summary>
public sealed class InputWatcher(InputState state, IOptions<ServiceOptions> options, TimeProvider time, ILogger<InputWatcher> logger)
    : IHostedService, IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private ITimer? _debounce;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _debounce = time.CreateTimer(_ => state.Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var dir in new[] { state.RulesDirectory, state.VendorsDirectory }.Distinct(StringComparer.Ordinal))
        {
            Watch(new FileSystemWatcher(dir)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            });
        }

        if (state.PolicyFile is { } policy)
        {
            var full = Path.GetFullPath(policy);
            Watch(new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            });
        }

        return Task.CompletedTask;
    }

    /// <summary>Any change, creation, deletion or rename restarts the debounce.</summary>
    private void Watch(FileSystemWatcher w)
    {
        w.Changed += OnChange;
        w.Created += OnChange;
        w.Deleted += OnChange;
        w.Renamed += OnChange;
        w.EnableRaisingEvents = true;
        _watchers.Add(w);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var w in _watchers)
        {
            w.EnableRaisingEvents = false;
        }

        _debounce?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var w in _watchers)
        {
            w.Dispose();
        }

        _debounce?.Dispose();
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        var name = Path.GetFileName(e.FullPath);
        if (name.StartsWith('.') || name.EndsWith(".inbox.json", StringComparison.Ordinal))
        {
            return; // editors' and our own temporary files, and the inboxes collect writes (no input of a score)
        }

        Log.InputChanged(logger, e.FullPath);
        _debounce?.Change(TimeSpan.FromSeconds(options.Value.ReloadDebounceSeconds), Timeout.InfiniteTimeSpan);
    }
}
