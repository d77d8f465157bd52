import '@mantine/notifications/styles.css';
import { Notifications } from '@mantine/notifications';

/** Loaded after the first screen: notices are rare and should not cost the login page. */
export default function Notifier() {
  return <Notifications position="top-right" />;
}
