using System.Diagnostics;
using BenchmarkDotNet.Running;
using LicenseRisk.Benchmarks;
using LicenseRisk.Benchmarks.Workload;

if (args.Length > 0 && args[0] == "check")
{
    // Equivalence on a sample, then a rough single-pass timing of each implementation.
    var n = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
    using var w = new Workloads(Workloads.Seed, 100, n, 50);
    Console.WriteLine($"equivalence: {w.Check()} dossiers agree across LicenseRisk, fluent NRules, RulesEngine and the plain loop");
    foreach (var (name, score) in w.Implementations())
    {
        // Best of five passes: the first pays for JIT and cold caches.
        var best = double.MaxValue;
        for (var pass = 0; pass < 5; pass++)
        {
            var sw = Stopwatch.StartNew();
            foreach (var d in w.Neutral)
            {
                score(d);
            }

            best = Math.Min(best, sw.Elapsed.TotalMilliseconds / n);
        }

        Console.WriteLine($"{name,-12} {best:0.000} ms/dossier (best of 5 passes)");
    }

    return 0;
}

if (args.Length > 0 && args[0] == "paired")
{
    // paired [ROUNDS] [SLICE] [all|synthetic|realistic]: scoring throughput as ratios within rounds (see Paired).
    var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 31;
    var slice = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 400;
    Paired.Run(rounds, slice, args.Length > 3 ? args[3] : "all");
    return 0;
}

if (args.Length > 0 && args[0] == "whatif")
{
    // whatif [VARIANTS] [ROUNDS] [all|NAME]: per-variant cost of the incremental what-if against a fresh session (see WhatIfBench).
    var root = new DirectoryInfo(AppContext.BaseDirectory);
    while (!File.Exists(Path.Combine(root.FullName, "LicenseRisk.sln")))
    {
        root = root.Parent ?? throw new InvalidOperationException("run from inside the repository");
    }

    if (args.Length > 1 && args[1] == "profile-alloc")
    {
        // whatif profile-alloc [PASSES]: the types the what-if side allocates (allocation ticks by type).
        WhatIfBench.ProfileAllocations(root.FullName, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50);
        return 0;
    }

    if (args.Length > 1 && args[1] == "profile-session")
    {
        // whatif profile-session [PASSES]: the same variants' session moves alone (no scoring).
        WhatIfBench.ProfileSession(root.FullName, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50);
        return 0;
    }

    if (args.Length > 1 && args[1] == "profile")
    {
        // whatif profile [PASSES]: the random single edits on the backtest cases, what-if alone, for a profiler.
        WhatIfBench.Profile(root.FullName, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50);
        return 0;
    }

    WhatIfBench.Run(
        root.FullName,
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 15,
        args.Length > 3 ? args[3] : "all");
    return 0;
}

if (args.Length > 0 && args[0] == "webscore")
{
    // webscore [ROUNDS] [SECONDS] [CLIENTS]: POST /api/v1/score requests/s on the web host against the CLI's in-process cost per dossier (see WebScoreBench).
    var root = new DirectoryInfo(AppContext.BaseDirectory);
    while (!File.Exists(Path.Combine(root.FullName, "LicenseRisk.sln")))
    {
        root = root.Parent ?? throw new InvalidOperationException("run from inside the repository");
    }

    WebScoreBench.Run(
        root.FullName,
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5,
        args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 4,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 4);
    return 0;
}

if (args.Length > 0 && args[0] == "compile")
{
    // compile [ROUNDS]: the 1,000-rule compile, LicenseRisk from YAML against fluent, as paired rounds.
    if (args.Length > 1 && args[1] == "profile")
    {
        // compile profile [N]: LicenseRisk's read + bind + lower of the 1,000-rule pack, N times, alone (for a profiler).
        Paired.CompileProfile(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 30);
        return 0;
    }

    Paired.Compile(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15);
    return 0;
}

if (args.Length > 0 && args[0] == "breakdown")
{
    // breakdown [ROUNDS] [all|synthetic|realistic]: where a dossier's time and memory go, both workloads (see Breakdown).
    Breakdown.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 9, args.Length > 2 ? args[2] : "all");
    return 0;
}

if (args.Length > 0 && args[0] == "schema")
{
    // schema [verbose]: the realistic workload's rete networks (LicenseRisk's and fluent's) and facts per dossier (see Schema).
    Schema.Run(args.Length > 1 && args[1] == "verbose");
    return 0;
}

if (args.Length > 0 && args[0] == "profile")
{
    // profile realistic|synthetic [DOSSIERS]: LicenseRisk alone scoring DOSSIERS dossiers, for a profiler
    // (perf record with DOTNET_PerfMapEnabled=1, or valgrind --tool=callgrind, whose counts hold under load).
    var n = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
    var realistic = args.Length < 2 || args[1] == "realistic";
    var r = realistic ? new RealisticWorkload(Workloads.Seed, 2_000) : null;
    using var w = realistic ? null : new Workloads(Workloads.Seed, 100, 2_000, 50);
    var sum = 0.0;
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < n; i++)
    {
        sum += r is not null ? r.Score(i % 2_000).Probability : w!.LicenseRisk.Score(w.Dossiers[i % 2_000]).Probability;
    }

    Console.WriteLine($"{n} dossiers in {sw.Elapsed.TotalSeconds:0.0} s (sum {sum:0.000})");
    return 0;
}

if (args.Length > 0 && args[0] == "write-dossiers")
{
    // write-dossiers DIR COUNT [SIGNALS]: dossiers as YAML files, plus the generated pack in DIR/pack.
    var dir = args[1];
    var count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
    var signals = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 50;
    var g = new Generator(Workloads.Seed);
    Generator.WritePack(Path.Combine(dir, "pack"), g.Rules(100));
    var vendors = Path.Combine(dir, "vendors");
    Directory.CreateDirectory(vendors);
    foreach (var d in g.Dossiers(count, signals))
    {
        File.WriteAllText(Path.Combine(vendors, d.Vendor + ".yaml"), Generator.DossierYaml(d));
    }

    return 0;
}

if (args.Length > 0 && args[0] == "write-sample-vendors")
{
    // write-sample-vendors SAMPLES_DIR OUT_DIR COUNT: dossiers shaped like the samples, for the bundled pack (see SampleVendors).
    SampleVendors.Write(args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Workloads).Assembly).Run(args);
return 0;
