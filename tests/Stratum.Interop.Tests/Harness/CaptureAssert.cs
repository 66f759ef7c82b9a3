// The tshark check used against chronyd (harness proof) and against our ntpd: capture while the
// probe sends mode-3 queries, then require that Wireshark's NTP dissector sees every request
// answered by a well-formed reply (no malformed field, no expert warning or error, LI not 3,
// version 4, mode 4, the expected stratum and reference ID). The warm-up queries that prove the
// capture live are checked like the others.
using System.Net;

namespace Stratum.Interop.Tests.Harness;

public static class CaptureAssert
{
    public const int Queries = 4;

    public static async Task<CaptureDecode> CaptureQueriesAsync(IPAddress server, CancellationToken cancellationToken)
    {
        await using var capture = await PacketCapture.StartAsync(server, TimeSpan.FromSeconds(20), cancellationToken);
        await capture.WaitUntilLiveAsync(server, cancellationToken);
        var warmUpFrames = capture.FramesSeen;
        for (var query = 0; query < Queries; query++)
        {
            var reply = await NtpProbe.QueryAsync(server, TimeSpan.FromSeconds(1), cancellationToken);
            Assert.True(reply is not null, $"query {query + 1} of {Queries} to {server} got no reply");
        }

        return await capture.FinishAsync(warmUpFrames + 2 * Queries, cancellationToken);
    }

    public static void RepliesAreWellFormed(CaptureDecode decode, IPAddress server, int expectedStratum,
        uint expectedReferenceId)
    {
        var address = server.ToString();
        var requests = decode.Rows.Where(row => row.Destination == address).ToList();
        var replies = decode.Rows.Where(row => row.Source == address).ToList();
        Assert.True(replies.Count >= Queries && replies.Count == requests.Count && requests.Count + replies.Count == decode.Rows.Count,
            $"expected at least {Queries} requests to {address}, each answered:\n{decode.Describe()}");
        Assert.False(decode.Rows.Any(row => row.IsMalformed || row.HasExpertWarning),
            $"Wireshark flags a malformed packet or raises an expert warning:\n{decode.Describe()}");
        Assert.DoesNotContain("Malformed", decode.VerboseText, StringComparison.Ordinal);
        foreach (var reply in replies)
        {
            Assert.True(
                reply.LeapIndicator is >= 0 and < NtpReply.LeapAlarm && reply.Version == 4 && reply.Mode == 4 &&
                reply.Stratum == expectedStratum && reply.ReferenceId == expectedReferenceId,
                $"frame {reply.FrameNumber}: want LI 0-2, VN 4, mode 4, stratum {expectedStratum}, " +
                $"refid {expectedReferenceId:x8}:\n{decode.Describe()}");
        }
    }
}
