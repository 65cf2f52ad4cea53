using LightNvr.Logging;

namespace LightNvr.Tests.Logging;

public class RedactorTests
{
    [Test]
    [Arguments("rtsp://user:secret@host/stream", "rtsp://***@host/stream")]
    [Arguments("open rtsp://admin:p@ss#1@10.0.0.5:554/ch1 failed", "open rtsp://***@10.0.0.5:554/ch1 failed")]
    [Arguments("rtsp://admin:p%40ss%231@10.0.0.5/ch1", "rtsp://***@10.0.0.5/ch1")]
    [Arguments("src=rtsp%3A%2F%2Fu%3Asecret%40h%2Fx&name=a", "src=rtsp%3A%2F%2F***%40h%2Fx&name=a")]
    [Arguments("src=rtsp%3A%2F%2Fadmin%3Ap%2540ss%25231%4010.0.0.5%2Fch1", "src=rtsp%3A%2F%2F***%4010.0.0.5%2Fch1")]
    [Arguments("http://cam/snap.cgi?user=admin&password=secret&x=1", "http://cam/snap.cgi?user=admin&password=***&x=1")]
    [Arguments("credential: secret", "credential: ***")]
    [Arguments("{\"password\":\"se\\\"cret\",\"a\":1}", "{\"password\":\"***\",\"a\":1}")]
    [Arguments("no secrets here http://host/path", "no secrets here http://host/path")]
    public async Task Removes_credentials(string input, string expected)
    {
        await Assert.That(Redactor.Redact(input)).IsEqualTo(expected);
    }

    [Test]
    public async Task Encoded_secret_inside_a_plain_url_is_also_gone()
    {
        var text = Redactor.Redact("PUT /api/streams?name=c&src=rtsp://u:s3cr3t@h/x");
        await Assert.That(text).DoesNotContain("s3cr3t");
    }
}
