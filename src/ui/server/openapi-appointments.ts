import { z } from 'zod';
import { bookInputSchema } from '../../assist/appointment-book.ts';
import { APPOINTMENT_CLOSES, appointmentSchema } from '../../core/assist/appointments.ts';
import { errors, idempotencyHeader, json, OPERATOR, OPTIONAL, ref } from './openapi-parts.ts';

/**
 * The OpenAPI part of appointments (预约办理): a citizen or the operator books a slot, the operator
 * lists the day's bookings and closes one (cancelled or served). The schemas are the zod schemas
 * the kiosk itself uses (z.toJSONSchema): the booking body as the routes parse it, the appointment
 * as it is stored and answered.
 */

export const APPOINTMENT_SCHEMAS: Record<string, Record<string, unknown>> = {
  AppointmentInput: z.toJSONSchema(bookInputSchema, { io: 'input' }),
  Appointment: z.toJSONSchema(appointmentSchema, { io: 'output' }),
  AppointmentList: {
    type: 'object',
    properties: {
      date: { type: 'string', pattern: '^\\d{8}$' },
      items: { type: 'array', items: ref('Appointment') },
    },
    required: ['date', 'items'],
  },
  AppointmentClosed: z.toJSONSchema(
    appointmentSchema.extend({ unchanged: z.boolean().describe('it was already closed this way') }),
    { io: 'output' },
  ),
};

const ID = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'appointment id (the number on its slip)',
  schema: { type: 'string' },
};

const CLOSE_SUMMARY: Record<(typeof APPOINTMENT_CLOSES)[number][0], string> = {
  cancel:
    'Cancel a booking: its slot is free again (operator; a served one is refused, a repeat changes nothing)',
  serve: 'Mark a booking served (operator; a cancelled one is refused, a repeat changes nothing)',
};

export const APPOINTMENT_PATHS: Record<string, Record<string, unknown>> = {
  '/api/appointments': {
    post: {
      summary:
        'Book a slot of a matter handled by appointment (self-service or operator); the slip is printed',
      security: OPTIONAL,
      parameters: [
        idempotencyHeader('a repeat with the same key answers the first booking (200 instead of 201)'),
      ],
      requestBody: { required: true, content: json(ref('AppointmentInput')) },
      responses: {
        '201': { description: 'Booked (citizen masked)', content: json(ref('Appointment')) },
        '200': { description: 'The same booking, repeated', content: json(ref('Appointment')) },
        ...errors,
      },
    },
    get: {
      summary: "A day's bookings by slot, with the citizen's phone to call (operator)",
      security: OPERATOR,
      parameters: [
        {
          name: 'date',
          in: 'query',
          required: false,
          description: 'yyyymmdd (default today)',
          schema: { type: 'string', pattern: '^\\d{8}$' },
        },
      ],
      responses: { '200': { description: 'OK', content: json(ref('AppointmentList')) }, ...errors },
    },
  },
  ...Object.fromEntries(
    APPOINTMENT_CLOSES.map(([action]) => [
      `/api/appointments/{id}/${action}`,
      {
        post: {
          summary: CLOSE_SUMMARY[action],
          security: OPERATOR,
          parameters: [ID],
          responses: {
            '200': { description: 'OK (citizen masked)', content: json(ref('AppointmentClosed')) },
            ...errors,
          },
        },
      },
    ]),
  ),
};
