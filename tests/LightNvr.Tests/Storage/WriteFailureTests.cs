using System.Net;
using System.Text;
using System.Text.Json;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Storage;

/// <summary>
/// Real write failures: the appliance runs in a private mount namespace (unshare -m) whose config
/// folder is a small tmpfs, filled to the last byte (ENOSPC) or remounted read-only (EROFS; chmod
/// would not stop root). A save answers 507 / 503 problem+json naming the file and the cause, leaves
/// no temp file, keeps the old file intact, and the status page says so.
/// </summary>
public class WriteFailureTests
{
    private const string Keep = "cameras:\n  - name: keep\n    url: rtsp://10.0.0.5/keep\n";

    [Test]
    public async Task A_full_disk_answers_507_naming_streams_yaml_and_leaves_no_temp_file()
    {
        await Run("dd if=/dev/zero of=\"$CONF/filler\" bs=4k 2>/dev/null || true", HttpStatusCode.InsufficientStorage, "no space left on the device");
    }

    [Test]
    public async Task A_read_only_config_folder_answers_503_naming_streams_yaml()
    {
        await Run("mount -o remount,ro \"$CONF\"", HttpStatusCode.ServiceUnavailable, "the file system is read-only");
    }

    private static async Task Run(string breakIt, HttpStatusCode expected, string cause)
    {
        using var dir = new TempDir();
        var conf = Path.Combine(dir.Path, "conf");
        var staging = Path.Combine(dir.Path, "staging");
        Directory.CreateDirectory(conf);
        Directory.CreateDirectory(staging);
        var state = Path.Combine(dir.Path, "state");
        Directory.CreateDirectory(state);
        var port = Ports.Free();
        File.WriteAllText(Path.Combine(staging, "lightnvr.yaml"),
            $"web:\n  listen: 127.0.0.1\n  port: {port}\nstate_dir: {state}\ngo2rtc:\n  enabled: false\n  config_dir: {state}/go2rtc\nauth:\n  password_file: {state}/none.txt\n");
        File.WriteAllText(Path.Combine(staging, "streams.yaml"), Keep);
        AuthClients.Provision(state);
        var script = $"set -e; CONF='{conf}'; mount -t tmpfs -o size=256k,mode=0700 tmpfs \"$CONF\"; cp '{staging}'/* \"$CONF\"/; {breakIt}; " +
                     $"exec dotnet exec '{AppProcess.DefaultDll}' --config \"$CONF/lightnvr.yaml\"";
        await using var app = AppProcess.StartCommand("unshare", "-m", "--propagation", "private", "sh", "-c", script);
        using var http = AuthClients.SignedIn(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(15) });
        await AppProcess.WaitForPage(http, "/api/streams", text => text.Contains("\"keep\""));

        var response = await http.PostAsync("/api/streams", new StringContent("{\"name\":\"door\",\"url\":\"rtsp://10.0.0.6/a\"}", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        await Assert.That(response.StatusCode).IsEqualTo(expected).Because(text + app.Output);
        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/problem+json");
        using (var doc = JsonDocument.Parse(text))
            await Assert.That(doc.RootElement.GetProperty("detail").GetString()!).Contains(Path.Combine(conf, "streams.yaml")).And.Contains(cause);

        // Inside the appliance's mount namespace (its /proc root): the old file intact, no temp file.
        var inside = $"/proc/{app.Id}/root{conf}";
        await Assert.That(File.ReadAllText(Path.Combine(inside, "streams.yaml"))).IsEqualTo(Keep);
        await Assert.That(File.Exists(Path.Combine(inside, ".streams.yaml.tmp"))).IsFalse();
        // Nothing changed for the API either, and the status page says what happened.
        await Assert.That(await http.GetStringAsync("/api/streams")).DoesNotContain("\"door\"");
        var page = await http.GetStringAsync("/");
        await Assert.That(page).Contains("cannot write " + Path.Combine(conf, "streams.yaml") + ": " + cause);
        using (var status = JsonDocument.Parse(await http.GetStringAsync("/api/status")))
            await Assert.That(status.RootElement.GetProperty("write_errors").EnumerateArray()
                .Any(e => e.GetString()!.Contains(Path.Combine(conf, "streams.yaml")) && e.GetString()!.Contains(cause))).IsTrue();
    }
}
