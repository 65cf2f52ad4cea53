using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Streams;

namespace LightNvr.Tests.Streams;

public class ReconcilerTests
{
    private const string Sentinel = "Sentinel-Pw-91";
    private static readonly Go2rtcVersion Current = Go2rtcVersion.Parse("1.9.14")!;

    private static Camera Front(string url = "rtsp://10.0.0.5/ch1", string? sub = "rtsp://10.0.0.5/ch2", bool enabled = true) => new()
    {
        Name = "front", Url = url, Username = "admin", Password = Sentinel, SubUrl = sub, Transport = "tcp", Enabled = enabled,
    };

    private static Camera Back() => new() { Name = "back", Url = "rtsp://10.0.0.6/live", Video = "h264" };

    private static DesiredStreams Desired(params Camera[] cameras) => DesiredStreams.From(cameras, Current);

    /// <summary>What go2rtc reports for streams it holds: the producer URL rewritten the way go2rtc does.</summary>
    private static Dictionary<string, IReadOnlyList<string>?> Observed(params (string Name, string[]? Urls)[] streams) =>
        streams.ToDictionary(s => s.Name, s => (IReadOnlyList<string>?)s.Urls);

    /// <summary>As if every desired stream had been PUT in <paramref name="generation"/>.</summary>
    private static Registered RegisteredAll(DesiredStreams d, long generation) =>
        d.Streams.Values.Aggregate(Registered.Empty, (r, s) => r.After(new StreamAction.Put(s.Name, s.Sources), generation));

    private static string Show(IEnumerable<StreamAction> actions) => string.Join("; ", actions);

    [Test]
    public async Task Fresh_go2rtc_gets_every_desired_stream_in_name_order()
    {
        var plan = Reconciler.Plan(Desired(Front(), Back()), Observed(), Registered.Empty, 1);
        await Assert.That(Show(plan)).IsEqualTo("Put back (2 sources); Put front (1 source); Put front_sub (1 source)");
        var put = (StreamAction.Put)plan[1];
        await Assert.That(put.Sources[0]).IsEqualTo($"rtsp://admin:{Sentinel}@10.0.0.5/ch1#transport=tcp");
    }

    [Test]
    public async Task Healthy_streams_are_not_churned_when_go2rtc_strips_or_masks_urls()
    {
        var d = Desired(Front(), Back());
        // Connected RTSP: no #suffix; newer go2rtc: ***@; ffmpeg: the internal loopback URL; null: unknown shape.
        var observed = Observed(
            ("front", ["rtsp://***@10.0.0.5/ch1"]),
            ("front_sub", [$"rtsp://admin:{Sentinel}@10.0.0.5/ch2"]),
            ("back", ["rtsp://10.0.0.6/live", "rtsp://127.0.0.1:8554/back?video&source=ffmpeg:back#video=h264"]));
        var registered = RegisteredAll(d, 3);
        await Assert.That(Reconciler.Plan(d, observed, registered, 3)).IsEmpty();
        var unknown = Observed(("front", null), ("front_sub", []), ("back", null));
        await Assert.That(Reconciler.Plan(d, unknown, registered, 3)).IsEmpty();
    }

    [Test]
    public async Task Changed_camera_is_replaced_and_nothing_else()
    {
        var before = Desired(Front(), Back());
        var registered = RegisteredAll(before, 1);
        var observed = Observed(("front", null), ("front_sub", null), ("back", null));
        var plan = Reconciler.Plan(Desired(Front(url: "rtsp://10.0.0.5/ch9"), Back()), observed, registered, 1);
        await Assert.That(Show(plan)).IsEqualTo("Put front (1 source)");
        await Assert.That(((StreamAction.Put)plan[0]).Sources[0]).Contains("/ch9#transport=tcp");
    }

    [Test]
    public async Task Removed_camera_is_deleted_with_its_sub_stream_deletes_first()
    {
        var registered = RegisteredAll(Desired(Front(), Back()), 1);
        var observed = Observed(("front", null), ("front_sub", null), ("back", null));
        var plan = Reconciler.Plan(Desired(Back(), new Camera { Name = "new", Url = "rtsp://10.0.0.7/x" }), observed, registered, 1);
        await Assert.That(Show(plan)).IsEqualTo("Delete front; Delete front_sub; Put new (1 source)");
    }

    [Test]
    public async Task Disabled_camera_is_deleted_even_if_we_lost_track_of_registering_it()
    {
        var observed = Observed(("front", null), ("front_sub", null));
        await Assert.That(Show(Reconciler.Plan(Desired(Front(enabled: false)), observed, RegisteredAll(Desired(Front()), 1), 1)))
            .IsEqualTo("Delete front; Delete front_sub");
        await Assert.That(Show(Reconciler.Plan(Desired(Front(enabled: false)), observed, Registered.Empty, 1)))
            .IsEqualTo("Delete front; Delete front_sub");
    }

    [Test]
    public async Task Removed_sub_url_deletes_the_sub_stream_of_a_managed_camera()
    {
        var registered = RegisteredAll(Desired(Front()), 1);
        var observed = Observed(("front", null), ("front_sub", null));
        var d = Desired(Front(sub: null));
        await Assert.That(Show(Reconciler.Plan(d, observed, registered, 1))).IsEqualTo("Delete front_sub");
        // Also when the registration record was lost (LightNVR restarted, go2rtc kept running).
        await Assert.That(Show(Reconciler.Plan(d, observed, Registered.Empty.After(new StreamAction.Put("front", d.Streams["front"].Sources), 1), 1)))
            .IsEqualTo("Delete front_sub");
    }

    [Test]
    public async Task The_persons_own_streams_are_left_alone()
    {
        var d = Desired(Front());
        var observed = Observed(("front", null), ("front_sub", null), ("garage", ["rtsp://x/y"]), ("back_sub", null), ("garage_sub", null));
        await Assert.That(Reconciler.Plan(d, observed, RegisteredAll(d, 1), 1)).IsEmpty();
    }

    [Test]
    public async Task After_a_go2rtc_restart_every_desired_stream_is_put_again()
    {
        var d = Desired(Front(), Back());
        var registered = RegisteredAll(d, 1);
        // A new generation: even streams go2rtc shows (e.g. written back to its config) are put again.
        var observed = Observed(("front", null), ("garage", null));
        await Assert.That(Show(Reconciler.Plan(d, observed, registered, 2)))
            .IsEqualTo("Put back (2 sources); Put front (1 source); Put front_sub (1 source)");
    }

    [Test]
    public async Task A_stream_go2rtc_lost_is_put_again()
    {
        var d = Desired(Front());
        var plan = Reconciler.Plan(d, Observed(("front", null)), RegisteredAll(d, 1), 1);
        await Assert.That(Show(plan)).IsEqualTo("Put front_sub (1 source)");
    }

    [Test]
    public async Task A_stream_we_registered_in_an_earlier_generation_and_no_longer_want_is_deleted()
    {
        var registered = RegisteredAll(Desired(Front(), Back()), 1);
        var plan = Reconciler.Plan(Desired(Front()), Observed(("back", null)), registered, 2);
        await Assert.That(Show(plan)).IsEqualTo("Delete back; Put front (1 source); Put front_sub (1 source)");
    }

    [Test]
    public async Task A_refused_camera_keeps_its_streams_until_it_is_fixed()
    {
        var registered = RegisteredAll(Desired(Front(), Back()), 1);
        var observed = Observed(("front", null), ("front_sub", null), ("back", null));
        var d = DesiredStreams.From([Back()], Current, refusedNames: ["front"]);
        await Assert.That(Reconciler.Plan(d, observed, registered, 1)).IsEmpty();
    }

    [Test]
    public async Task Plans_converge_a_second_plan_after_applying_the_first_is_empty()
    {
        var go2rtc = Observed(("garage", null), ("old", null));
        var registered = Registered.Empty.After(new StreamAction.Put("old", ["rtsp://h/old"]), 1);
        var d = Desired(Front(), Back());
        foreach (var action in Reconciler.Plan(d, go2rtc, registered, 1))
        {
            if (action is StreamAction.Put put) go2rtc[put.Name] = ["rtsp://***@masked"];
            else go2rtc.Remove(action.Name);
            registered = registered.After(action, 1);
        }
        await Assert.That(go2rtc.Keys.Order().ToArray()).IsEquivalentTo(new[] { "back", "front", "front_sub", "garage" });
        await Assert.That(Reconciler.Plan(d, go2rtc, registered, 1)).IsEmpty();
        await Assert.That(registered.Ever.Contains("old")).IsFalse();
    }

    [Test]
    public async Task Registered_forgets_sources_on_a_new_generation_but_remembers_names()
    {
        var r = Registered.Empty.After(new StreamAction.Put("a", ["x"]), 1).After(new StreamAction.Put("b", ["y"]), 1);
        await Assert.That(r.Streams.Count).IsEqualTo(2);
        var next = r.After(new StreamAction.Put("c", ["z"]), 2);
        await Assert.That(next.Streams.Keys.ToArray()).IsEquivalentTo(new[] { "c" });
        await Assert.That(next.Ever.Order().ToArray()).IsEquivalentTo(new[] { "a", "b", "c" });
        await Assert.That(next.After(new StreamAction.Delete("a"), 2).Ever.Contains("a")).IsFalse();
    }

    [Test]
    [Arguments("1.9.4", 1, false, 2)]
    [Arguments("1.9.5", 2, false, 1)]
    [Arguments("1.9.10", 2, false, 1)]
    [Arguments("1.9.11", 2, true, 0)]
    [Arguments("1.9.14", 2, true, 0)]
    public async Task Version_gates(string version, int sources, bool preload, int notes)
    {
        var camera = Back();
        camera.Preload = true;
        var d = DesiredStreams.From([camera], Go2rtcVersion.Parse(version)!);
        await Assert.That(d.Streams["back"].Sources.Count).IsEqualTo(sources);
        await Assert.That(d.Streams["back"].Preload).IsEqualTo(preload);
        await Assert.That(d.Unavailable.Count).IsEqualTo(notes);
        if (sources == 1) await Assert.That(d.Unavailable[0]).Contains("not registered: ffmpeg:back#video=h264");
    }

    [Test]
    public async Task Disabled_cameras_are_not_desired_and_subs_are_video_only()
    {
        var d = Desired(Front(), new Camera { Name = "off", Url = "rtsp://h/x", SubUrl = "rtsp://h/y", Enabled = false });
        await Assert.That(d.Streams.Keys.ToArray()).IsEquivalentTo(new[] { "front", "front_sub" });
        await Assert.That(d.Managed.Order().ToArray()).IsEquivalentTo(new[] { "front", "front_sub", "off", "off_sub" });
        var sub = d.Streams["front_sub"];
        await Assert.That((sub.IsSub, sub.Camera, sub.Preload)).IsEqualTo((true, "front", false));
        await Assert.That(sub.Sources[0]).EndsWith("#transport=tcp#media=video#backchannel=0");
    }

    [Test]
    public async Task Redacted_views_and_printed_actions_never_show_the_password()
    {
        var camera = Front();
        camera.Video = "h264";
        var d = DesiredStreams.From([camera], Go2rtcVersion.Parse("1.9.4")!);
        var texts = d.Redacted.SelectMany(s => s.Value).Concat(d.Unavailable).Concat(d.Streams.Values.Select(s => s.ToString()))
            .Concat(Reconciler.Plan(d, Observed(), Registered.Empty, 1).Select(a => a.ToString())).ToList();
        await Assert.That(texts.Count).IsGreaterThan(4);
        foreach (var t in texts) await Assert.That(t).DoesNotContain(Sentinel);
        await Assert.That(d.Redacted["front"][0]).IsEqualTo("rtsp://***@10.0.0.5/ch1#transport=tcp");
        await Assert.That(d.Sources["front"][0]).Contains(Sentinel); // the real sources do hold it
    }
}
