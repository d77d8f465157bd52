import type { NotificationData } from '@mantine/notifications';

export async function notify(notice: NotificationData): Promise<void> {
  const { notifications } = await import('@mantine/notifications');
  notifications.show(notice);
}
