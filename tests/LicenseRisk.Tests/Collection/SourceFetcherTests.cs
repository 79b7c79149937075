using LicenseRisk.Collection;
using LicenseRisk.Model;
using LicenseRisk.Yaml;

namespace LicenseRisk.Tests.Collection;

/// <summary>Bad answers fail their source with a message naming it and the address; nothing half-read is used.</summary>
public sealed class SourceFetcherTests : IDisposable
{
    private readonly FixtureServer _server = new();

    public void Dispose() => _server.Dispose();

    private SourceFetcher Fetcher(long maxBytes = 16 * 1024 * 1024)
    {
        var options = new CollectOptions { HubUrl = new Uri(_server.Url), MaxResponseBytes = maxBytes, Timeout = TimeSpan.FromSeconds(2), MaxRetries = 0 };
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddCollectionClients(_ => options);
        var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        return new SourceFetcher((IHttpClientFactory)provider.GetService(typeof(IHttpClientFactory))!, options, TimeProvider.System);
    }

    [Fact]
    public async Task An_oversized_answer_fails_its_source()
    {
        _server.On("/big", new Reply(200, new string('x', 5000)));
        var ex = await Should.ThrowAsync<SourceException>(() => Fetcher(maxBytes: 1000).GetAsync("huggingface", new Uri(_server.Url + "big"), CancellationToken.None));
        ex.Message.ShouldBe($"huggingface: {_server.Url}big: the answer is 5000 bytes, over the 1000-byte limit");
    }

    [Fact]
    public async Task A_truncated_answer_fails_its_source()
    {
        _server.On("/cut", new Reply(200, "[{\"id\": \"a/b\"") { DeclaredLength = 4000 });
        var ex = await Should.ThrowAsync<SourceException>(() => Fetcher().GetAsync("huggingface", new Uri(_server.Url + "cut"), CancellationToken.None));
        ex.Reason.ShouldStartWith("the answer was cut off (truncated body)");
        ex.Url.ShouldBe(_server.Url + "cut");
    }

    [Fact]
    public async Task A_feed_that_is_not_xml_fails_its_source_and_an_rss_feed_is_classified()
    {
        var dossier = new Dossier("x.yaml", new VendorInfo("meta", "Meta", null, null, [], SourceSpan.None("x.yaml")), [], null);
        _server.On("/feed.xml", new Reply(200, "{\"not\": \"a feed\"}"));
        var ex = await Should.ThrowAsync<SourceException>(() => LicenseRisk.Collection.Collectors.FeedCollector.CollectAsync(Fetcher(), dossier, new Uri(_server.Url + "feed.xml"), CancellationToken.None));
        ex.Reason.ShouldStartWith("not an RSS or Atom feed (application/json, 17 bytes, starting '{\"not\": \"a feed\"}')");

        _server.On("/news.xml", new Reply(200, CollectCommandTests.Fixture("meta-news.xml"), "application/rss+xml"));
        var items = await LicenseRisk.Collection.Collectors.FeedCollector.CollectAsync(Fetcher(), dossier, new Uri(_server.Url + "news.xml"), CancellationToken.None);
        items.Select(c => c.Signal.Kind).ShouldBe(["leadership_departure", "hiring", "reorganization"]);
        items.ShouldAllBe(c => c.Status == CandidateStatus.Pending);
        items[0].Needs.ShouldBe(["seniority"]);
        items[0].Signal.Source.ShouldBe("https://news.example/2025/04/01/pineau");
        items[1].Signal.Field("from_closed_lab").ShouldBe("true");
    }

    [Fact]
    public async Task A_token_goes_to_its_own_service_only()
    {
        _server.On("/api/models?author=x", new Reply(200, "[]"));
        Environment.SetEnvironmentVariable("HF_TOKEN", "hf_secret_test_token");
        try
        {
            await Fetcher().GetAsync("huggingface", new Uri(_server.Url + "api/models?author=x"), CancellationToken.None);
            await Fetcher().GetAsync("feed", new Uri(_server.Url + "api/models?author=x"), CancellationToken.None);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HF_TOKEN", null);
        }

        _server.Requests.Select(r => r.Authorization).ShouldBe(["Bearer hf_secret_test_token", null]);
    }
}
