import { AspectRatio, Badge, Group, Progress, Stack, Text } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useCallback, useRef, useState } from "react";
import { useParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { PageHeader } from "../../lib/components/PageHeader";
import { LoadingState } from "../../lib/components/states";
import { errorMessage } from "../../lib/errors";
import { languageName } from "./captionsFiles";
import { percentWatched } from "./MyExpertSessionsPage";
import { useProgressHeartbeat, type ProgressReport } from "./useProgressHeartbeat";
import { formatDuration } from "./videoFiles";
import { ProductBadges } from "./ExpertSessionParts";
import { NotFoundPage } from "../../lib/components/NotFoundPage";

type PlayerSession = NonNullable<FunctionReturnType<typeof api.expertSessions.getForStudent>>;

/** Resume positions this close to the end start from the beginning instead, in seconds. */
const RESTART_NEAR_END_SECONDS = 5;

const BREADCRUMBS = [{ label: "Expert sessions", to: "/expert-sessions" }];

/**
 * The player (`/expert-sessions/:expertSessionId`): the video, resumed where the student left off,
 * with its WebVTT captions track when the session has one (on by default, labelled with the
 * language's name), and progress saved by heartbeat (every 15 s while playing, on pause, when the
 * tab is hidden).
 * Students who may watch the session; everyone else gets "not found".
 */
export function ExpertSessionPlayerPage() {
  const { expertSessionId } = useParams();
  const session = useQuery(api.expertSessions.getForStudent, { expertSessionId: expertSessionId as Id<"expertSessions"> });
  if (session === undefined) return <LoadingState label="Loading video…" />;
  if (session === null) {
    return (
      <NotFoundPage
        title="Expert session not found"
        breadcrumbs={BREADCRUMBS}
        message="This expert session is not available"
        description="It may have been removed, or none of your products includes it."
      />
    );
  }
  return <Player key={session._id} session={session} />;
}

function Player({ session }: { session: PlayerSession }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const heartbeat = useMutation(api.expertSessions.heartbeat);
  const [saveProblem, setSaveProblem] = useState<string | null>(null);
  // The resume position as it was when the page opened (later heartbeats must not seek the player).
  const [resumeAt] = useState(() => {
    const position = session.progress?.lastPositionSeconds ?? 0;
    return position < session.durationSeconds - RESTART_NEAR_END_SECONDS ? position : 0;
  });
  const send = useCallback(
    async (report: ProgressReport) => {
      await heartbeat({ expertSessionId: session._id, ...report });
      setSaveProblem(null);
    },
    [heartbeat, session._id],
  );
  const onError = useCallback((error: unknown) => setSaveProblem(errorMessage(error)), []);
  useProgressHeartbeat(videoRef, send, onError);

  const percent = session.progress ? percentWatched(session.progress.secondsWatched, session.durationSeconds) : 0;
  const completed = session.progress?.completedAt !== undefined;
  const captions = session.captions;

  return (
    <>
      <PageHeader
        title={session.title}
        breadcrumbs={BREADCRUMBS}
        description={
          <ProductBadges products={session.products} inline />
        }
      />
      <Stack gap="md" maw={960}>
        <AspectRatio ratio={16 / 9}>
          <video
            ref={videoRef}
            src={session.videoUrl}
            controls
            preload="metadata"
            playsInline
            aria-label={`Video: ${session.title}`}
            // The captions file is served from the Convex deployment's origin, not the app's: browsers
            // load a cross-origin <track> only in CORS mode, which Convex file URLs allow.
            crossOrigin={captions !== null ? "anonymous" : undefined}
            style={{ width: "100%", height: "100%", background: "black" }}
            onLoadedMetadata={(event) => {
              if (resumeAt > 0) event.currentTarget.currentTime = resumeAt;
            }}
          >
            {captions !== null ? (
              <track kind="captions" src={captions.url} srcLang={captions.language} label={languageName(captions.language)} default />
            ) : null}
          </video>
        </AspectRatio>
        <Stack gap={4}>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {formatDuration(session.durationSeconds)} · {percent}% watched
              {resumeAt > 0 ? ` · resumed at ${formatDuration(resumeAt)}` : ""}
            </Text>
            {completed ? (
              <Badge color="teal" variant="light">
                Completed
              </Badge>
            ) : (
              <Text size="xs" c="dimmed">
                Completed once you have watched 90%
              </Text>
            )}
          </Group>
          <Progress value={percent} color={completed ? "teal" : undefined} aria-label={`${percent}% watched`} />
          {saveProblem !== null ? (
            <Text size="xs" c="red" role="alert">
              Your progress could not be saved: {saveProblem}
            </Text>
          ) : null}
        </Stack>
        {session.description ? <Text>{session.description}</Text> : null}
      </Stack>
    </>
  );
}
