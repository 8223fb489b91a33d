import { describe, expect, test } from "vitest";
import { escapeHtml, formatSessionTime, renderSessionEmail, type TemplateSession } from "./templates";

// Tuesday 4 March 2025, 13:30–14:30 UTC (winter: Berlin is UTC+1, New York UTC−5).
const START = Date.UTC(2025, 2, 4, 13, 30);
const session: TemplateSession = {
  kind: "success",
  title: "Portfolio review",
  description: "Bring two projects.",
  startsAt: START,
  endsAt: START + 60 * 60 * 1000,
  joinUrl: "https://zoom.example/j/42",
  joinLabel: "Join the meeting",
  passcode: "9876",
  hostName: "Grace",
  hostRole: "Mentor",
  guestName: null,
  detail: "Data Science · Batch 12",
  appUrl: "https://hub.example/sessions",
};

describe("session email templates", () => {
  test("times are written in the recipient's zone, named", () => {
    const berlin = renderSessionEmail({ event: "successSession.created" }, session, { name: "Ada", timeZone: "Europe/Berlin", isHost: false });
    expect(berlin.text).toContain("When: Tuesday 4 March 2025, 14:30–15:30 CET (Europe/Berlin)");
    expect(berlin.subject).toBe("New session: Portfolio review (Tue 4 Mar, 14:30 CET)");
    const newYork = renderSessionEmail({ event: "successSession.created" }, session, { name: "Ada", timeZone: "America/New_York", isHost: false });
    expect(newYork.text).toMatch(/Tuesday 4 March 2025, 08:30–09:30 (EST|GMT-5) \(America\/New_York\)/);
  });

  test("without a valid zone the email uses UTC and says so", () => {
    for (const timeZone of [null, "Not/AZone"]) {
      const email = renderSessionEmail({ event: "reminder", lead: "1h" }, session, { name: "Ada", timeZone, isHost: false });
      expect(email.text).toContain("Tuesday 4 March 2025, 13:30–14:30 UTC");
      expect(email.text).toContain("Times are in UTC because your profile has no time zone");
      expect(email.subject).toBe("Starting in 1 hour: Portfolio review (Tue 4 Mar, 13:30 UTC)");
    }
  });

  test("a session crossing midnight shows both dates", () => {
    expect(formatSessionTime(Date.UTC(2025, 2, 4, 22, 30), Date.UTC(2025, 2, 4, 23, 30), "Europe/Berlin")).toBe(
      "Tuesday 4 March 2025, 23:30 – Wednesday 5 March 2025, 00:30 CET (Europe/Berlin)",
    );
  });

  test("plain text and HTML carry the same facts: link, mentor, passcode, description", () => {
    const email = renderSessionEmail({ event: "successSession.created" }, session, { name: "Ada", timeZone: "UTC", isHost: false });
    for (const part of [email.text, email.html]) {
      expect(part).toContain("https://zoom.example/j/42");
      expect(part).toContain("Grace");
      expect(part).toContain("9876");
      expect(part).toContain("Bring two projects.");
      expect(part).toContain("https://hub.example/sessions");
    }
    expect(email.html).toContain('<a href="https://zoom.example/j/42"');
  });

  test("everything from data is escaped in HTML, unsafe links are not anchors, subjects stay on one line", () => {
    const hostile: TemplateSession = {
      ...session,
      title: '<script>alert("x")</script>\nBcc: victim@example.com',
      description: "<img src=x onerror=alert(1)>",
      hostName: "Eve & <b>Mallory</b>",
      joinUrl: "javascript:alert(1)",
    };
    const email = renderSessionEmail({ event: "successSession.created" }, hostile, { name: "<i>Ada</i>", timeZone: "UTC", isHost: false });
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<img");
    expect(email.html).not.toContain("<b>Mallory");
    expect(email.html).not.toContain("<i>Ada");
    expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(email.html).toContain("Eve &amp; &lt;b&gt;Mallory&lt;/b&gt;");
    expect(email.html).not.toContain('href="javascript:');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(escapeHtml(`'"<>&`)).toBe("&#39;&quot;&lt;&gt;&amp;");
  });

  test("changed: lists the new and previous time and mentor; the new mentor is told they now host", () => {
    const changes = { previousStartsAt: START - 24 * 60 * 60 * 1000, previousHostName: "Alan" };
    const toStudent = renderSessionEmail({ event: "successSession.changed", changes }, session, { name: "Ada", timeZone: "UTC", isHost: false });
    expect(toStudent.text).toContain("New time: Tuesday 4 March 2025, 13:30–14:30 UTC (was Monday 3 March 2025, 13:30–14:30 UTC)");
    expect(toStudent.text).toContain("New mentor: Grace (was Alan)");
    const toMentor = renderSessionEmail({ event: "successSession.changed", changes }, session, { name: "Grace", timeZone: "UTC", isHost: true });
    expect(toMentor.text).toContain("You are now the mentor of Portfolio review.");
  });

  test("coaching emails name the other person from each side", () => {
    const coaching: TemplateSession = { ...session, kind: "coaching", hostName: "Carl", hostRole: "Coach", guestName: "Stu", joinUrl: null, passcode: null };
    const toStudent = renderSessionEmail({ event: "coaching.booked" }, coaching, { name: "Stu", timeZone: "UTC", isHost: false });
    const toCoach = renderSessionEmail({ event: "coaching.booked" }, coaching, { name: "Carl", timeZone: "UTC", isHost: true });
    expect(toStudent.subject).toContain("Coaching with Carl");
    expect(toCoach.subject).toContain("Coaching with Stu");
    expect(toStudent.text).toContain("We'll email you the link as soon as it's ready.");
    const cancelled = renderSessionEmail({ event: "coaching.cancelled" }, coaching, { name: "Stu", timeZone: "UTC", isHost: false });
    expect(cancelled.subject).toBe("Coaching cancelled: Coaching with Carl (Tue 4 Mar, 13:30 UTC)");
  });
});
